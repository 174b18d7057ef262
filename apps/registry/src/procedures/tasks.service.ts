import { Injectable } from '@nestjs/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { decideUpdate, type CaseState, CaseError, HouseholdError, CommonError } from '@jingzhun/contracts';
import {
  conflict,
  DomainException,
  forbidden,
  invalid,
  notFound,
  TemporalClientService,
  type AuthUser,
} from '@jingzhun/platform';
import { decisionRecordIssues, RECORDED_AT_SKEW_MS } from '@jingzhun/domain';
import { Journal } from '../journal/journal';
import { PhotoStore } from '../photos/photo.store';
import { PrismaService } from '../prisma/prisma.service';
import { VERIFICATION_STEP } from '../campaigns/campaign.store';
import { decisionRefusalOf } from './decision-refusal';
import { assertSameRequest, IdempotencyStore, keyedRequest } from './idempotency.store';
import { InboxStore } from './inbox.store';
import { mayDecide } from './decision-authority';
import { TaskStore } from './task.store';
import { RegistryMetrics } from '../metrics/registry-metrics';
import type { DecisionBody, TaskListQuery } from './procedure.schemas';

/** 指派帮扶责任人: opened by identification's announcement when the village had no helper. */
export const ASSIGN_HELPER_STEP = 'village.assign_helper';

@Injectable()
export class TasksService {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly inboxStore: InboxStore,
    private readonly tasks: TaskStore,
    private readonly idempotency: IdempotencyStore,
    private readonly metrics: RegistryMetrics,
    private readonly photos: PhotoStore,
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
  ) {}

  /** The caller's inbox: open tasks of their role at their region (or escalated to them), oldest due first, paged. */
  async inbox(actor: AuthUser, q: TaskListQuery) {
    const [ids, total] = await Promise.all([this.inboxStore.page(actor, q), this.inboxStore.count(actor, q)]);
    const { tasks, household, regionName } = await this.inboxStore.hydrate(ids);
    const now = Date.now();
    const items = tasks.map((t) => {
      const householdId = t.householdId ?? t.case.householdId;
      const h = householdId ? household.get(householdId) : undefined;
      // A campaign's verification is about one household of one village; a procedure's task, its case's.
      const villageCode = t.householdId ? t.regionCode : t.case.regionCode;
      return {
        id: t.id,
        caseId: t.caseId,
        kind: t.case.kind,
        householdId,
        householdNumber: h?.number ?? null,
        headName: h?.headName ?? null,
        villageCode,
        villageName: regionName.get(villageCode) ?? null,
        reason: t.case.reason,
        step: t.step,
        role: t.role,
        regionCode: t.regionCode,
        dueAt: t.dueAt,
        assigneeId: t.assigneeId,
        availableAt: t.availableAt,
        canDecideNow: !t.availableAt || t.availableAt.getTime() <= now,
        overdue: t.overdue,
        escalated: t.escalatedRole === actor.role && t.escalatedRegion === actor.regionCode,
      };
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  async decide(
    actor: AuthUser,
    taskId: string,
    body: DecisionBody,
    idempotencyKey: string | undefined,
  ): Promise<CaseState> {
    const route = `POST /tasks/${taskId}/decision`;
    if (idempotencyKey) {
      const prior = await this.idempotency.find(`${actor.id}:${idempotencyKey}`);
      if (prior) {
        assertSameRequest(prior.route, route, body);
        return prior.response as unknown as CaseState;
      }
    }
    const task = await this.tasks.findWithCase(taskId);
    if (!task) throw notFound('任务', taskId);
    const householdId = task.householdId ?? task.case.householdId;
    if (task.step === ASSIGN_HELPER_STEP)
      throw conflict(
        HouseholdError.UseHelperAssignment,
        '请指派帮扶责任人 (PUT /households/{id}/helper), 指派后该任务自动办结',
        {
          caseId: task.caseId,
          householdId: task.case.householdId,
        },
      );
    if (task.step === VERIFICATION_STEP)
      throw conflict(
        CaseError.UseVerificationForm,
        '入户核查请填写核查表 (POST /campaigns/{id}/households/{householdId}/verification)',
        { caseId: task.caseId, householdId: task.householdId },
      );
    // A revisit is owed by its helper; the village cadres may record it too (DESIGN.md: village records revisits).
    if (!mayDecide(task, actor, body.decision)) {
      // 督办: the level above may chase a task and send the case back, never decide it in the lower level's place.
      throw forbidden(
        CaseError.NotAssignee,
        mayDecide(task, actor, 'return')
          ? '督办不代办: 该步骤由下级办理, 上级只能催办或退回 (return)'
          : '该任务不由您办理',
      );
    }
    if (task.status !== 'OPEN' && !idempotencyKey)
      throw conflict(
        CaseError.TaskAlreadyDecided,
        `该任务已${task.status === 'DECIDED' ? `决定 (${task.decision})` : '关闭'}`,
      );
    // The step's record (libs/domain's catalogue) answers here with a 400 naming every field; the
    // registry's verifyDecider checks it again with the eligibility, whatever the client.
    const recordedAt = recordedAtOf(task, body.recordedAt);
    const photoIds = body.photoIds ?? [];
    if (photoIds.length > 0) {
      if (!householdId) throw invalid('photoIds', '该任务不针对某一户, 不能附照片');
      await this.photos.assertAttachable(photoIds, { householdId, uploadedBy: actor.id, taskId });
    }
    const issues = decisionRecordIssues(task.case.kind, task.step, body.decision, body.data ?? {});
    if (issues.length > 0)
      throw new DomainException(
        400,
        CommonError.ValidationFailed,
        `输入有误: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
        { issues },
      );

    const client = await this.temporal.client();
    const handle = client.workflow.getHandle(task.workflowId);
    let state: CaseState;
    try {
      state = await handle.executeUpdate(decideUpdate, {
        args: [
          {
            taskId,
            decision: body.decision,
            comment: body.comment,
            data: body.data,
            actor: { id: actor.id, role: actor.role, regionCode: actor.regionCode },
            ...(recordedAt ? { recordedAt } : {}),
          },
        ],
        // Temporal dedupes updates by id: the same Idempotency-Key returns the first result, even concurrently.
        ...(idempotencyKey ? { updateId: `${taskId}:${actor.id}:${idempotencyKey}` } : {}),
      });
    } catch (err) {
      // The validator is the authority; the checks above are early answers. Its refusals carry a type.
      if (err instanceof WorkflowUpdateFailedError) {
        const refusal = decisionRefusalOf(err.cause);
        if (refusal) throw refusal;
        throw conflict(CaseError.DecisionRefused, String((err.cause as Error | undefined)?.message ?? err.message));
      }
      if ((err as { name?: string }).name === 'WorkflowNotFoundError')
        throw conflict(CaseError.CaseClosed, '该程序已结束');
      throw err;
    }
    this.metrics.decisions.inc({ kind: task.case.kind, step: task.step, decision: body.decision });
    if (recordedAt || photoIds.length > 0) {
      // #24: the photos join the record, and the audit keeps both times (made on the phone, received here).
      await this.prisma.$transaction(async (tx) => {
        if (householdId && photoIds.length > 0)
          await this.photos.attach(photoIds, { householdId, uploadedBy: actor.id, caseId: task.caseId, taskId }, tx);
        await this.journal.record(tx, actor, {
          action: 'task.field_record',
          entity: 'task',
          entityId: taskId,
          householdId,
          regionCode: task.regionCode,
          caseId: task.caseId,
          after: { recordedAt: recordedAt ?? null, receivedAt: new Date().toISOString(), photoIds },
        });
      });
    }
    if (idempotencyKey) {
      // A concurrent twin may have stored the same answer first.
      await this.idempotency.remember({
        key: `${actor.id}:${idempotencyKey}`,
        actorId: actor.id,
        route: keyedRequest(route, body),
        statusCode: 200,
        response: state,
      });
    }
    return state;
  }
}

/**
 * The moment a decision was made (#24: on a phone, possibly offline; its window is checked by the schema),
 * checked against the task as it stood then: not before the task was opened, and not inside the notice
 * period (a record made before the notice ended is refused, whenever it arrives).
 */
function recordedAtOf(
  task: { createdAt: Date; availableAt: Date | null },
  recordedAt: string | undefined,
): string | undefined {
  if (!recordedAt) return undefined;
  const at = Date.parse(recordedAt);
  if (at < task.createdAt.getTime() - RECORDED_AT_SKEW_MS)
    throw conflict(CaseError.RecordedBeforeTask, `记录时间 ${recordedAt} 早于该任务下达时间: 请核对手机时间`);
  if (task.availableAt && at < task.availableAt.getTime())
    throw conflict(
      CaseError.RecordedBeforeTask,
      `记录时间 ${recordedAt} 在公示期内: 公示期满 (${task.availableAt.toISOString()}) 后方可办理`,
    );
  return recordedAt;
}
