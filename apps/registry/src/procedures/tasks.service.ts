import { Injectable } from '@nestjs/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { isWithin, revisitFormSchema } from '@jingzhun/domain';
import { decideUpdate, type CaseState } from '@jingzhun/contracts';
import { conflict, DomainException, forbidden, invalid, notFound, TemporalClientService, type AuthUser } from '@jingzhun/platform';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import type { DecisionBody } from './procedure.schemas';

/** Workflow validator refusals → HTTP (the validator is the authority; the checks here are early answers). */
const REFUSALS: Record<string, { status: 400 | 403 | 409; code: string }> = {
  TASK_CLOSED: { status: 409, code: 'TASK_ALREADY_DECIDED' },
  NOT_ASSIGNEE: { status: 403, code: 'NOT_ASSIGNEE' },
  NOT_YET_OPEN: { status: 409, code: 'STEP_NOT_OPEN' },
  UNKNOWN_DECISION: { status: 400, code: 'VALIDATION_FAILED' },
  INVALID_FORM: { status: 400, code: 'VALIDATION_FAILED' },
};

@Injectable()
export class TasksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The caller's inbox: open tasks of their role at their region (or escalated to them), oldest due first. */
  async inbox(actor: AuthUser) {
    // Two index-ordered halves (own tasks, escalated-to-me), each read in due order and cut at
    // 200: an OR in one query would fetch every open task of the region and sort them.
    // A helper's inbox is the revisits assigned to them, not every helper task of the village.
    const ids =
      actor.role === 'helper'
        ? await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM task WHERE status = 'OPEN' AND assignee_id = ${actor.id} ORDER BY due_at LIMIT 200`
        : await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM (
        (SELECT id, due_at FROM task WHERE status = 'OPEN' AND role = ${actor.role} AND region_code = ${actor.regionCode} ORDER BY due_at LIMIT 200)
        UNION ALL
        (SELECT id, due_at FROM task WHERE status = 'OPEN' AND escalated_role = ${actor.role} AND escalated_region = ${actor.regionCode} ORDER BY due_at LIMIT 200)
      ) t ORDER BY due_at LIMIT 200`;
    const rows = await this.prisma.task.findMany({
      where: { id: { in: ids.map((r) => r.id) } },
      orderBy: { dueAt: 'asc' },
      include: { case: { select: { kind: true, householdId: true, regionCode: true, reason: true } } },
    });
    const now = Date.now();
    return rows.map((t) => ({
      id: t.id,
      caseId: t.caseId,
      kind: t.case.kind,
      householdId: t.case.householdId,
      villageCode: t.case.regionCode,
      step: t.step,
      role: t.role,
      regionCode: t.regionCode,
      dueAt: t.dueAt,
      assigneeId: t.assigneeId,
      availableAt: t.availableAt,
      canDecideNow: !t.availableAt || t.availableAt.getTime() <= now,
      overdue: t.overdue,
      escalated: t.escalatedRole === actor.role && t.escalatedRegion === actor.regionCode,
    }));
  }

  async decide(actor: AuthUser, taskId: string, body: DecisionBody, idempotencyKey: string | undefined): Promise<CaseState> {
    const route = `POST /tasks/${taskId}/decision`;
    if (idempotencyKey) {
      const prior = await this.prisma.idempotencyKey.findUnique({ where: { key: `${actor.id}:${idempotencyKey}` } });
      if (prior) {
        if (prior.route !== route) throw conflict('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key 已用于其他请求');
        return prior.response as unknown as CaseState;
      }
    }
    const task = await this.prisma.task.findUnique({ where: { id: taskId }, include: { case: true } });
    if (!task) throw notFound('任务', taskId);
    // A revisit is owed by its helper; the village cadres may record it too (DESIGN.md: village records revisits).
    const assignee = task.assigneeId
      ? actor.id === task.assigneeId || (actor.role === 'village' && isWithin(actor.regionCode, task.regionCode))
      : actor.role === task.role && isWithin(actor.regionCode, task.regionCode);
    const escalatedTo = task.escalatedRole !== null && actor.role === task.escalatedRole && isWithin(actor.regionCode, task.escalatedRegion!);
    if (!assignee && !escalatedTo) throw forbidden('NOT_ASSIGNEE', `该任务由 ${task.role}@${task.regionCode} 办理`);
    if (task.status !== 'OPEN' && !idempotencyKey) throw conflict('TASK_ALREADY_DECIDED', `该任务已${task.status === 'DECIDED' ? `决定 (${task.decision})` : '关闭'}`);
    if (task.case.kind === 'exit' && task.step === 'village.verification' && body.decision === 'approve' && body.data?.householdAgrees !== true) {
      throw invalid('data.householdAgrees', '退出须有农户签字认可 (householdAgrees: true)');
    }
    if (task.case.kind === 'monitoring_inclusion' && task.step === 'village.home_check' && body.decision === 'approve' && body.data?.authorisationSigned !== true) {
      throw invalid('data.authorisationSigned', '纳入监测须有农户签署的信息核对授权书 (authorisationSigned: true)');
    }
    if (task.case.kind === 'follow_up') {
      if (body.decision !== 'approve') throw invalid('decision', '回访以 approve 记录');
      const form = revisitFormSchema.safeParse(body.data ?? {});
      if (!form.success) {
        const issue = form.error.issues[0];
        throw invalid(['data', ...issue.path].join('.'), `回访表: ${issue.message}`);
      }
    }

    const client = await this.temporal.client();
    const handle = client.workflow.getHandle(task.workflowId);
    let state: CaseState;
    try {
      state = await handle.executeUpdate(decideUpdate, {
        args: [{ taskId, decision: body.decision, comment: body.comment, data: body.data, actor: { id: actor.id, role: actor.role, regionCode: actor.regionCode } }],
        // Temporal dedupes updates by id: the same Idempotency-Key returns the first result, even concurrently.
        ...(idempotencyKey ? { updateId: `${taskId}:${actor.id}:${idempotencyKey}` } : {}),
      });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const message = String((err.cause as Error | undefined)?.message ?? err.message);
        const [prefix, ...rest] = message.split(': ');
        const mapped = REFUSALS[prefix];
        if (mapped) throw new DomainException(mapped.status, mapped.code, rest.join(': ') || message);
      }
      if ((err as { name?: string }).name === 'WorkflowNotFoundError') throw conflict('CASE_CLOSED', '该程序已结束');
      throw err;
    }
    if (idempotencyKey) {
      await this.prisma.idempotencyKey
        .create({ data: { key: `${actor.id}:${idempotencyKey}`, actorId: actor.id, route, statusCode: 200, response: state as unknown as Prisma.InputJsonValue } })
        .catch(() => undefined); // a concurrent twin stored the same result
    }
    return state;
  }
}
