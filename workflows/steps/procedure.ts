import { condition, patched, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { isWithin, parentCodeOf } from '@jingzhun/domain/src/region-code';
import type { Requirement } from './requirements';
import {
  decideUpdate,
  DecisionRefusal,
  refuse,
  DECISIONS,
  objectionSignal,
  SearchKeys,
  stateQuery,
  TaskQueues,
  type CaseState,
  type CaseStatus,
  type CloseTaskInput,
  type DecideInput,
  type OpenTaskView,
  type ProcedureInput,
  type ProcedurePolicy,
  type RegistryActivities,
} from '@jingzhun/contracts/src/workflow';

export const registry = proxyActivities<RegistryActivities>({
  taskQueue: TaskQueues.registry,
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export const DAY_MS = 86_400_000;

interface TaskGuards {
  /** Why the task cannot be decided yet (the notice before it is running), or null. */
  blockedBy: (() => string | null) | null;
  /** What an approval needs in its data, or null. */
  requires: Requirement | null;
}
type TrackedTask = OpenTaskView & TaskGuards;

/**
 * The state every procedure shares: its open tasks, the decisions that arrived through the
 * `decide` update, objections signalled against its notice, and the search attributes admins use.
 * A decision is accepted once (the validator refuses a closed task) and its update returns only
 * after the workflow has applied it and moved on.
 */
export class Procedure {
  readonly state: CaseState;
  policy!: ProcedurePolicy;
  /** The data officers gave with each decision, by step: the announcement uses it. */
  readonly decisionData: Record<string, Record<string, unknown>> = {};
  readonly decisions = new Map<string, DecideInput>();
  readonly objections: { objectionId: string; noticeId: string }[] = [];
  private readonly tasks = new Map<string, TrackedTask>();
  private readonly acknowledged = new Set<string>();
  private readonly consumed: string[] = [];
  /** Decided tasks whose closing goes with the next registry write (one transaction per decision). */
  private readonly pendingCloses: CloseTaskInput[] = [];

  private constructor(readonly input: ProcedureInput) {
    this.state = {
      caseId: input.caseId,
      workflowId: input.workflowId,
      kind: input.kind,
      status: 'OPEN',
      step: 'started',
      dueAt: null,
      round: 1,
      openTasks: [],
      notice: null,
      outcome: null,
    };
    setHandler(stateQuery, () => this.snapshot());
    setHandler(
      decideUpdate,
      async (claimed) => {
        // Removing the task here, before any await, is what makes a second decision fail validation.
        const task = this.tasks.get(claimed.taskId)!;
        this.tasks.delete(claimed.taskId);
        this.refreshTasks();
        let d = claimed;
        if (patched('decider-verified')) {
          // The payload's actor is a claim: whoever reaches Temporal could write one. The registry
          // says who they are now; a refusal puts the task back and changes nothing.
          // It also checks the decision's record and, where the law checks it, the household's eligibility.
          const verdict = await registry.verifyDecider({
            taskId: claimed.taskId,
            actor: claimed.actor,
            decision: claimed.decision,
            data: claimed.data ?? {},
          });
          if (!verdict.ok) {
            this.tasks.set(claimed.taskId, task);
            this.refreshTasks();
            throw refuse(verdict.refusal ?? DecisionRefusal.NotAssignee, verdict.reason, verdict.details);
          }
          d = { ...claimed, actor: verdict.actor };
        }
        this.decisions.set(d.taskId, d);
        await condition(() => this.acknowledged.has(d.taskId));
        return this.snapshot();
      },
      { validator: (d) => this.validate(d) },
    );
    setHandler(objectionSignal, (o) => void this.objections.push(o));
  }

  static async start(input: ProcedureInput): Promise<Procedure> {
    const p = new Procedure(input);
    // Cases opened since the policy travels in the input skip the activity; older ones load it.
    p.policy =
      input.policy ??
      (await registry.loadPolicy({ regionCode: input.regionCode, kind: input.kind, at: new Date().toISOString() }));
    return p;
  }

  get villageCode(): string {
    return this.input.villageCode ?? this.input.regionCode;
  }

  /** Task keys make openTask idempotent under retries and unique per round of the procedure. */
  key(step: string): string {
    return `${this.input.workflowId}/r${this.state.round}/${step}`;
  }

  private validate(d: DecideInput): void {
    if (!DECISIONS.includes(d.decision))
      throw refuse(
        DecisionRefusal.UnknownDecision,
        `未知的决定 ${String(d.decision)}, 可选 approve / reject / return`,
        { field: 'decision' },
      );
    const t = this.tasks.get(d.taskId);
    if (!t) throw refuse(DecisionRefusal.TaskClosed, '该任务已处理或已关闭');
    const fits = (role: string, region: string) => d.actor.role === role && isWithin(d.actor.regionCode, region);
    // 督办: the level a task escalated to chases it and may send the case back (return), but never
    // decides the lower level's step in its place (DESIGN.md "Each level decides only its own step").
    const chaser = t.escalatedTo !== null && fits(t.escalatedTo.role, t.escalatedTo.regionCode);
    if (chaser && !fits(t.role, t.regionCode) && d.decision !== 'return') {
      throw refuse(
        DecisionRefusal.NotAssignee,
        `督办不代办: 该步骤由 ${t.role}@${t.regionCode} 办理, 上级只能催办或退回`,
      );
    }
    if (!fits(t.role, t.regionCode) && !chaser)
      throw refuse(DecisionRefusal.NotAssignee, `该任务由 ${t.role}@${t.regionCode} 办理`);
    const blocked = t.blockedBy?.();
    if (blocked) throw refuse(DecisionRefusal.NotYetOpen, blocked);
    const missing = t.requires?.(d);
    if (missing) throw refuse(DecisionRefusal.InvalidForm, missing.message, { field: missing.field });
  }

  track(view: OpenTaskView, guards: TaskGuards): void {
    this.tasks.set(view.taskId, { ...view, ...guards });
    this.refreshTasks();
  }

  untrack(taskId: string): void {
    this.tasks.delete(taskId);
    this.refreshTasks();
  }

  escalate(taskId: string): { role: string; regionCode: string } | null {
    const t = this.tasks.get(taskId);
    if (!t) return null;
    const to = escalationOf(t.role, t.regionCode);
    if (!to) return null;
    t.escalatedTo = to;
    this.refreshTasks();
    return to;
  }

  /** Takes a decision off the queue; it counts as applied at the next step change. */
  consume(taskId: string): DecideInput {
    const d = this.decisions.get(taskId)!;
    this.decisions.delete(taskId);
    this.consumed.push(taskId);
    return d;
  }

  /** Acknowledges every consumed decision: their updates return now, with the new state. */
  acknowledgeDecisions(): void {
    for (const t of this.consumed.splice(0)) this.acknowledged.add(t);
  }

  /**
   * Closes a decided task. Cases that reached this point after 'decision-one-transaction' close it
   * with the next registry write (the next task and step, the notice, or the end), so a decision
   * costs one activity and one transaction; older histories closed it on its own.
   */
  async closeDecided(close: CloseTaskInput): Promise<void> {
    if (patched('decision-one-transaction')) this.pendingCloses.push(close);
    else await registry.closeTask(close);
  }

  /** True when a decision's closing waits for the next registry write. */
  get closesPending(): boolean {
    return this.pendingCloses.length > 0;
  }

  /**
   * Whether the next step's writes go as one (`advance`) and the decision is answered as soon as
   * they are scheduled. Always for cases past 'decision-one-transaction'; older histories replay apart.
   */
  foldsWrites(): boolean {
    return this.closesPending || patched('decision-one-transaction');
  }

  takePendingCloses(): CloseTaskInput[] {
    return this.pendingCloses.splice(0);
  }

  /** Writes the waiting closes now, when nothing else is to be written with them. */
  async flushCloses(): Promise<void> {
    if (this.closesPending) await registry.advance({ caseId: this.input.caseId, close: this.takePendingCloses() });
  }

  /** `acknowledge: false` keeps pending decisions waiting (the announcement answers them when the case ends). */
  async enterStep(step: string, dueAt: string | null, { acknowledge = true } = {}): Promise<void> {
    this.state.step = step;
    this.state.dueAt = dueAt;
    const change = { caseId: this.input.caseId, step, dueAt, round: this.state.round };
    if (this.closesPending)
      await registry.advance({ caseId: this.input.caseId, close: this.takePendingCloses(), step: change });
    else await registry.enterStep(change);
    this.stepEntered(step, dueAt, { acknowledge });
  }

  /** The step is recorded in the registry: search attributes follow, and the decisions that led here are answered. */
  stepEntered(step: string, dueAt: string | null, { acknowledge = true } = {}): void {
    this.state.step = step;
    this.state.dueAt = dueAt;
    const pairs: Parameters<typeof upsertSearchAttributes>[0] = [
      { key: SearchKeys.ProcessStep, value: step },
      { key: SearchKeys.Overdue, value: false },
    ];
    if (dueAt) pairs.push({ key: SearchKeys.StepDueAt, value: new Date(dueAt) });
    upsertSearchAttributes(pairs);
    if (acknowledge) this.acknowledgeDecisions();
  }

  markOverdue(overdue: boolean): void {
    upsertSearchAttributes([{ key: SearchKeys.Overdue, value: overdue }]);
  }

  /** The case missed its own deadline: `Late` stays set while later steps reset `Overdue`. */
  markLate(): void {
    // Cases started before the attribute existed replay without this command.
    if (patched('case-late-attribute')) upsertSearchAttributes([{ key: SearchKeys.Late, value: true }]);
  }

  async finish(status: CaseStatus, outcome: string): Promise<CaseState> {
    this.state.status = status;
    this.state.outcome = outcome;
    this.state.step = 'finished';
    this.state.dueAt = null;
    const cancellations = [...this.tasks.keys()].map(
      (taskId): CloseTaskInput => ({ taskId, decision: 'cancelled', comment: '程序结束', data: {}, actor: null }),
    );
    if (this.closesPending)
      await registry.advance({ caseId: this.input.caseId, close: [...this.takePendingCloses(), ...cancellations] });
    else for (const close of cancellations) await registry.closeTask(close);
    this.tasks.clear();
    this.refreshTasks();
    await registry.finishCase({ caseId: this.input.caseId, status, outcome });
    upsertSearchAttributes([
      { key: SearchKeys.ProcessStep, value: 'finished' },
      { key: SearchKeys.Overdue, value: false },
    ]);
    this.acknowledgeDecisions();
    return this.snapshot();
  }

  snapshot(): CaseState {
    return JSON.parse(JSON.stringify(this.state));
  }

  private refreshTasks(): void {
    this.state.openTasks = [...this.tasks.values()].map(({ blockedBy: _b, requires: _r, ...view }) => view);
  }
}

/** Escalation goes one level up: village → township → county; a county task stays with the county. */
export function escalationOf(role: string, regionCode: string): { role: string; regionCode: string } | null {
  if (role === 'village' || role === 'helper')
    return { role: 'township', regionCode: parentCodeOf(regionCode) ?? regionCode };
  if (role === 'township') return { role: 'county', regionCode: parentCodeOf(regionCode) ?? regionCode };
  return null;
}

/** Waits for `fn` until the absolute time `at` (ms). True when `fn` held. */
export async function waitUntil(fn: () => boolean, at: number): Promise<boolean> {
  if (fn()) return true;
  const remaining = at - Date.now();
  if (remaining <= 0) return false;
  return condition(fn, remaining);
}
