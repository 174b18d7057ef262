import { Injectable } from '@nestjs/common';
import { DecisionRefusal, type Actor, type DeciderVerdict, type Decision } from '@jingzhun/contracts';
import { decisionRecordIssues, isWithin } from '@jingzhun/domain';
import { PrismaService } from '../prisma/prisma.service';
import { UserStore } from '../users/user.store';
import { Preconditions } from './preconditions';
import { TaskStore } from './task.store';

type TaskRights = {
  role: string;
  regionCode: string;
  assigneeId: string | null;
  escalatedRole: string | null;
  escalatedRegion: string | null;
};

/**
 * Who may decide a task: anyone of its role inside its region; a task owed by one person (a helper's
 * revisit) is theirs, and the village cadres' (DESIGN.md: the village records revisits). The level a
 * task escalated to chases it (督办) and may only send the case back (`return`): it never approves or
 * rejects the lower level's step in its place. One rule for the API's early answer and for the
 * workflow's re-check of the actor.
 */
export function mayDecide(
  task: TaskRights,
  actor: Pick<Actor, 'id' | 'role' | 'regionCode'>,
  decision?: Decision,
): boolean {
  const own = task.assigneeId
    ? actor.id === task.assigneeId || (actor.role === 'village' && isWithin(actor.regionCode, task.regionCode))
    : actor.role === task.role && isWithin(actor.regionCode, task.regionCode);
  const chaser =
    task.escalatedRole !== null &&
    actor.role === task.escalatedRole &&
    isWithin(actor.regionCode, task.escalatedRegion!);
  return own || (chaser && decision === 'return');
}

/** The answer to a decision that is refused, with its type (mapped to HTTP by the API). */
const refused = (
  refusal: (typeof DecisionRefusal)[keyof typeof DecisionRefusal],
  reason: string,
  details: Record<string, unknown> = {},
): DeciderVerdict => ({ ok: false, reason, refusal, details });

/**
 * The registry activity behind `verifyDecider`, asked before a workflow applies a decision: the actor
 * as the registry knows them now; one officer never signs two levels of the same case; the decision's
 * record against its step's schema (libs/domain's catalogue); and, at the step where the law checks
 * it, the household's eligibility on its live facts. A decision forged straight into Temporal meets
 * the same checks as one through the API.
 */
@Injectable()
export class DecisionAuthority {
  constructor(
    private readonly prisma: PrismaService,
    private readonly users: UserStore,
    private readonly tasks: TaskStore,
    private readonly preconditions: Preconditions,
  ) {}

  async verify(i: {
    taskId: string;
    actor: Actor;
    decision?: Decision;
    data?: Record<string, unknown>;
  }): Promise<DeciderVerdict> {
    // The claimed role and region are ignored: the registry's user is the authority.
    const [user, task] = await Promise.all([this.users.find(i.actor.id), this.tasks.findWithCase(i.taskId)]);
    // The workflow opened this task here: not finding it is this database's problem, not the
    // decider's, so the activity fails and Temporal retries it (never a refusal).
    if (!task) throw new Error(`task ${i.taskId} not found`);
    if (!user?.active) return refused(DecisionRefusal.NotAssignee, '决定人不存在或已停用');
    const actor = { id: user.id, role: user.role, regionCode: user.regionCode };
    // Histories recorded before decisions carried their kind to this check pass none: the actor alone is checked.
    if (i.decision === undefined)
      return mayDecide(task, actor, 'approve')
        ? { ok: true, actor }
        : refused(DecisionRefusal.NotAssignee, '该任务不由您办理');
    if (!mayDecide(task, actor, i.decision)) {
      return refused(
        DecisionRefusal.NotAssignee,
        mayDecide(task, actor, 'return') ? '督办不代办: 上级只能催办或退回' : '该任务不由您办理',
      );
    }
    const other = await this.tasks.decidedAtOtherLevel(task.caseId, user.id, task.role);
    if (other)
      return refused(
        DecisionRefusal.SameOfficer,
        `同一案件中您已办理 ${other.role} 级步骤 ${other.step}: 一人不能签署两级审批`,
      );
    const issues = decisionRecordIssues(task.case.kind, task.step, i.decision, i.data ?? {});
    if (issues.length > 0)
      return refused(DecisionRefusal.InvalidForm, `${issues[0].path}: ${issues[0].message}`, {
        field: issues[0].path,
        issues,
      });
    // Reads only, and none at most steps: no transaction (a decision is a hot path).
    const obstacles = await this.preconditions.atDecision(this.prisma, task.case, task.step, i.decision, i.data ?? {});
    if (obstacles.length > 0)
      return refused(DecisionRefusal.NotEligible, `不符合条件, 不能通过: ${obstacles.join('; ')}`, { obstacles });
    return { ok: true, actor };
  }
}
