import { condition, uuid4 } from '@temporalio/workflow';
import type { DecideInput, OpenTaskInput } from '@jingzhun/contracts/src/workflow';
import { DAY_MS, registry, waitUntil, type Procedure } from './procedure';
import { climbDeadlines } from './deadline-ladder';
import type { Requirement } from './requirements';

export type SignOffLevel = 'village' | 'township' | 'county';

export interface SignOffSpec {
  step: string;
  role: SignOffLevel;
  regionCode: string;
  /** The task is visible now but can be decided only from this time (the notice before it). */
  availableAt?: string | null;
  blockedBy?: (() => string | null) | null;
  objectionId?: string | null;
  /** What an approval needs in its data (the household's agreement, a signed authorisation). */
  requires?: Requirement;
  /** A deadline of its own (a campaign's calendar) instead of the policy's days for the level. */
  dueAt?: string;
}

/**
 * A sign-off: a task for a role at a region with a deadline from policy. Before the deadline a
 * reminder, at the deadline an overdue event, after the grace period escalation to the next
 * level (which may then decide in the lower level's place). Resolves with the decision, once.
 */
export class SignOff {
  constructor(
    private readonly p: Procedure,
    readonly spec: SignOffSpec,
    readonly taskId: string,
    readonly dueAt: string,
  ) {}

  async decision(): Promise<DecideInput> {
    const { p, taskId } = this;
    const decided = () => p.decisions.has(taskId);
    const due = new Date(this.dueAt).getTime();
    const policy = p.policy;
    await climbDeadlines(
      [
        {
          at: due - policy.reminderBeforeDays * DAY_MS,
          run: () => registry.taskDeadline({ taskId, event: 'reminder' }),
        },
        {
          at: due,
          run: async () => {
            await registry.taskDeadline({ taskId, event: 'overdue' });
            p.markOverdue(true);
          },
        },
        {
          at: due + policy.escalationGraceDays * DAY_MS,
          run: async () => {
            const to = p.escalate(taskId);
            if (to) await registry.taskDeadline({ taskId, event: 'escalated', escalatedTo: to });
          },
        },
      ],
      async (until) => {
        if (until !== null) return waitUntil(decided, until);
        await condition(decided);
        return true;
      },
    );
    const d = p.consume(taskId);
    p.untrack(taskId);
    await p.closeDecided({ taskId, decision: d.decision, comment: d.comment, data: d.data ?? {}, actor: d.actor });
    p.decisionData[this.spec.step] = { ...(d.data ?? {}), decision: d.decision, by: d.actor.id };
    return d;
  }

  /** Withdraws an open task that is no longer needed (the procedure ended or went back). */
  async cancel(): Promise<void> {
    this.p.untrack(this.taskId);
    await registry.closeTask({
      taskId: this.taskId,
      decision: 'cancelled',
      comment: '程序已结束或退回',
      data: {},
      actor: null,
    });
  }
}

/**
 * Opens the task. With `enter`, it also becomes the case's current step; when a decision's closing
 * is pending, closing, opening and the step are one registry write.
 */
export async function openSignOff(p: Procedure, spec: SignOffSpec, { enter = false } = {}): Promise<SignOff> {
  const start = spec.availableAt ? new Date(spec.availableAt).getTime() : Date.now();
  const dueAt = spec.dueAt ?? new Date(start + p.policy.signOffDays[spec.role] * DAY_MS).toISOString();
  const open: OpenTaskInput = {
    caseId: p.input.caseId,
    workflowId: p.input.workflowId,
    key: p.key(spec.objectionId ? `${spec.step}/${spec.objectionId}` : spec.step),
    step: spec.step,
    role: spec.role,
    regionCode: spec.regionCode,
    dueAt,
    availableAt: spec.availableAt ?? null,
    objectionId: spec.objectionId ?? null,
  };
  const view = (taskId: string) => ({
    taskId,
    step: spec.step,
    role: spec.role,
    regionCode: spec.regionCode,
    dueAt,
    availableAt: spec.availableAt ?? null,
    escalatedTo: null,
    objectionId: spec.objectionId ?? null,
  });
  const guards = { blockedBy: spec.blockedBy ?? null, requires: spec.requires ?? null };
  if (enter && p.foldsWrites()) {
    // One write (one transaction) for the decision before and this step. The decision is answered
    // after it, so whoever reads the registry next sees the decision and the new task.
    const taskId = uuid4();
    await registry.advance({
      caseId: p.input.caseId,
      close: p.takePendingCloses(),
      open: { ...open, taskId },
      step: { caseId: p.input.caseId, step: spec.step, dueAt, round: p.state.round },
    });
    p.track(view(taskId), guards);
    p.stepEntered(spec.step, dueAt);
    return new SignOff(p, spec, taskId, dueAt);
  }
  const { taskId } = await registry.openTask(open);
  p.track(view(taskId), guards);
  if (enter) await p.enterStep(spec.step, dueAt);
  return new SignOff(p, spec, taskId, dueAt);
}

/** Opens the task, makes it the case's current step, and waits for its decision. */
export async function signOff(p: Procedure, spec: SignOffSpec): Promise<DecideInput> {
  const s = await openSignOff(p, spec, { enter: true });
  return s.decision();
}
