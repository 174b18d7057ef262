import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { addCadence, isCadence } from '@jingzhun/domain/src/cadence';
import { isWithin } from '@jingzhun/domain/src/region-code';
import {
  DecisionRefusal,
  refuse,
  cadenceChangedSignal,
  decideUpdate,
  dueAfterTransition,
  followUpStateQuery,
  helperReassignedSignal,
  SearchKeys,
  stopFollowUpSignal,
  type CloseTaskInput,
  type DecideInput,
  type FollowUpCycle,
  type FollowUpInput,
  type FollowUpState,
} from '@jingzhun/contracts/src/workflow';
import { followUpCaseState, revisitLadder } from './steps/revisit';
import { DAY_MS, registry, waitUntil } from './steps/procedure';

/**
 * 回访 (follow-up): for an EXITED household during its 5-year transition period and for a
 * monitored household while it is monitored. Each run is one cycle: a revisit task for the
 * household's helper, due one cadence (policy: quarterly / monthly) after the last due date;
 * a reminder before it; at the due date an overdue reminder to the helper; after a grace period
 * escalation to the village, after another to the township. The visit is the task's decision
 * (a short structured form); a visit that finds risk starts monitoring inclusion. Then the
 * workflow continues as new, so the history of one run stays small over years. Since 'lean-cycle'
 * (#23) the visit's own transaction opens the next cycle, whose run starts waiting on its timers.
 */
export async function followUpProcedure(input: FollowUpInput): Promise<FollowUpState> {
  return new FollowUpRun(input).run();
}

/** One run of the follow-up: one cycle, from loading its policy to continuing as new. */
class FollowUpRun {
  private readonly state: FollowUpState;
  private stopReason: string | null = null;
  private visit: DecideInput | null = null;
  /** The visit has been recorded: the `decide` update may answer. */
  private recorded = false;
  private reassigned = false;
  /** A cadence an officer set by signal; it outlives this run. */
  private cadenceOverride: string | null;
  /** The next cycle, opened with this run's visit ('lean-cycle'): the next run starts on it. */
  private prepared: NonNullable<FollowUpInput['opened']> | null = null;

  constructor(private readonly input: FollowUpInput) {
    this.state = {
      caseId: input.caseId,
      cycle: input.cycle,
      status: 'OPEN',
      helperId: null,
      cadence: input.cadence ?? null,
      nextDueAt: input.nextDueAt ?? null,
      openTaskId: null,
      overdue: false,
      overdueCount: input.overdueCount,
      visits: input.visits,
      outcome: null,
    };
    this.cadenceOverride = input.cadence ?? null;
    setHandler(followUpStateQuery, () => ({ ...this.state, nextCadence: this.cadenceOverride }));
    setHandler(helperReassignedSignal, ({ helperId }) => {
      this.state.helperId = helperId;
      this.reassigned = true;
    });
    setHandler(cadenceChangedSignal, ({ cadence }) => {
      if (cadence === null || isCadence(cadence)) this.cadenceOverride = cadence;
    });
    setHandler(stopFollowUpSignal, ({ reason }) => {
      this.stopReason ??= reason;
    });
    setHandler(
      decideUpdate,
      async (claimed) => {
        const open = this.state.openTaskId;
        this.state.openTaskId = null; // before any await: a second decision fails validation
        let d = claimed;
        if (patched('decider-verified')) {
          // The payload's actor is a claim; the registry says who they are now (see Procedure).
          const verdict = await registry.verifyDecider({
            taskId: claimed.taskId,
            actor: claimed.actor,
            decision: claimed.decision,
            data: claimed.data ?? {},
          });
          if (!verdict.ok) {
            this.state.openTaskId = open;
            throw refuse(verdict.refusal ?? DecisionRefusal.NotAssignee, verdict.reason, verdict.details);
          }
          d = { ...claimed, actor: verdict.actor };
        }
        this.visit = d;
        await condition(() => this.recorded);
        return followUpCaseState(this.input, this.state);
      },
      { validator: (d) => this.validate(d) },
    );
  }

  async run(): Promise<FollowUpState> {
    const { input, state } = this;
    // Since 'lean-cycle' the previous run's visit opened this cycle: no activity until the visit.
    const opened = input.opened?.taskId ? input.opened : null;
    const cycle =
      opened?.cycle ?? (await registry.followUpCycle({ householdId: input.householdId, at: new Date().toISOString() }));
    if (!cycle.active) return this.finish(cycle.why);
    state.helperId ??= cycle.helperId;
    state.cadence = this.cadenceOverride ?? cycle.cadence;
    const dueAt = input.nextDueAt ? new Date(input.nextDueAt) : addCadence(new Date(), state.cadence);
    state.nextDueAt = dueAt.toISOString();

    // The transition period ends before the next visit would be due: wait it out, then stop.
    if (!opened && dueAfterTransition(cycle, state.nextDueAt)) {
      await registry.enterStep({ caseId: input.caseId, step: 'waiting', dueAt: cycle.endsAt, round: input.cycle });
      await waitUntil(() => this.stopReason !== null, new Date(cycle.endsAt).getTime());
      return this.finish(this.stopReason ?? '过渡期结束, 回访完成');
    }
    const taskId = opened ? this.revisitOpened(opened.taskId!, dueAt) : await this.openRevisit(dueAt);
    await revisitLadder(taskId, dueAt.getTime(), cycle, this.input.villageCode, {
      overdue: () => {
        this.state.overdue = true;
        this.state.overdueCount++;
      },
      visitedBy: (until) => this.visitedBy(taskId, until),
    });
    if (!this.visit) {
      await registry.closeTask({ taskId, decision: 'cancelled', comment: this.stopReason!, data: {}, actor: null });
      this.recorded = true;
      return this.finish(this.stopReason!);
    }
    const lean = await this.record(this.visit, taskId, dueAt, cycle);
    await condition(allHandlersFinished);
    const next = lean ?? this.nextDue(dueAt, cycle);
    if (this.stopReason) {
      const t = this.prepared?.taskId;
      if (t)
        await registry.closeTask({ taskId: t, decision: 'cancelled', comment: this.stopReason, data: {}, actor: null });
      return this.finish(this.stopReason);
    }
    return continueAsNew<typeof followUpProcedure>({
      ...input,
      cycle: input.cycle + 1,
      nextDueAt: next.toISOString(),
      overdueCount: state.overdueCount,
      visits: state.visits,
      cadence: this.cadenceOverride,
      opened: this.prepared,
    });
  }

  /** The calendar holds: a late visit does not push the next one back, but the next is never due before a week from now. */
  private nextDue(dueAt: Date, cycle: FollowUpCycle): Date {
    const cadence = this.cadenceOverride ?? cycle.cadence;
    const next = addCadence(dueAt, cadence);
    return next.getTime() < Date.now() + 7 * DAY_MS ? addCadence(new Date(), cadence) : next;
  }

  /** The revisit the previous run's visit opened: the step is recorded already, the search attributes follow. */
  private revisitOpened(taskId: string, dueAt: Date): string {
    this.state.openTaskId = taskId;
    this.revisitAttributes(dueAt);
    return taskId;
  }

  private revisitAttributes(dueAt: Date): void {
    upsertSearchAttributes([
      { key: SearchKeys.ProcessStep, value: 'revisit' },
      { key: SearchKeys.StepDueAt, value: dueAt },
      { key: SearchKeys.Overdue, value: false },
    ]);
  }

  /** The revisit task for the helper; with no helper assigned the village owes it until one is. */
  private async openRevisit(dueAt: Date): Promise<string> {
    const { input, state } = this;
    const { taskId } = await registry.openTask({
      caseId: input.caseId,
      workflowId: input.workflowId,
      key: `${input.workflowId}/c${input.cycle}/revisit`,
      step: 'revisit',
      role: state.helperId ? 'helper' : 'village',
      regionCode: input.villageCode,
      dueAt: state.nextDueAt!,
      availableAt: null,
      objectionId: null,
      assigneeId: state.helperId,
    });
    state.openTaskId = taskId;
    await registry.enterStep({ caseId: input.caseId, step: 'revisit', dueAt: state.nextDueAt, round: input.cycle });
    this.revisitAttributes(dueAt);
    return taskId;
  }

  /** Waits for the visit (or a stop) until `until` (null: no limit), moving the task whenever the helper changes. */
  private async visitedBy(taskId: string, until: number | null): Promise<boolean> {
    const done = () => this.visit !== null || this.stopReason !== null;
    for (;;) {
      let woke = true;
      if (until === null) await condition(() => done() || this.reassigned);
      else woke = await waitUntil(() => done() || this.reassigned, until);
      if (done()) return true;
      if (!woke) return false;
      this.reassigned = false;
      await registry.reassignTask({ taskId, assigneeId: this.state.helperId! });
    }
  }

  /**
   * Closes the task with the visit (late by when it was made, #24: offline visits arrive later), records it,
   * starts monitoring inclusion when it found risk; since 'lean-cycle' the next cycle opens with it (its due date returned).
   */
  private async record(visit: DecideInput, taskId: string, dueAt: Date, cycle: FollowUpCycle): Promise<Date | null> {
    const { input } = this;
    const late = (visit.recordedAt ? Date.parse(visit.recordedAt) : Date.now()) > dueAt.getTime();
    const close: CloseTaskInput = {
      taskId,
      decision: 'approve',
      comment: visit.comment,
      data: visit.data ?? {},
      actor: visit.actor,
    };
    // Since 'decision-one-transaction' the task closes in the visit's own transaction.
    const together = patched('decision-one-transaction');
    if (!together) await registry.closeTask(close);
    const next = this.stopReason === null && patched('lean-cycle') ? this.nextDue(dueAt, cycle) : null;
    const recorded = await registry.recordRevisit({
      caseId: input.caseId,
      taskId,
      householdId: input.householdId,
      form: visit.data ?? {},
      actor: visit.actor,
      late,
      recordedAt: visit.recordedAt,
      close: together ? close : null,
      next: next
        ? {
            workflowId: input.workflowId,
            villageCode: input.villageCode,
            cycle: input.cycle + 1,
            dueAt: next.toISOString(),
          }
        : null,
    });
    const { visitId, riskReasons } = recorded;
    this.prepared = recorded.next ?? null;
    this.state.visits++;
    if (riskReasons.length > 0 && cycle.basis === 'exited') {
      // 回访发现风险 → 纳入监测 starts by itself; the decision clock runs from this visit.
      await registry.openSystemCase({
        kind: 'monitoring_inclusion',
        householdId: input.householdId,
        reason: `回访发现风险: ${riskReasons.join('; ')}`,
        data: { trigger: 'visit', firstClueAt: new Date().toISOString(), visitId, monitoringType: 'UNSTABLE_EXITED' },
      });
    }
    this.recorded = true;
    return next;
  }

  private validate(d: DecideInput): void {
    const { state } = this;
    if (!state.openTaskId || d.taskId !== state.openTaskId)
      throw refuse(DecisionRefusal.TaskClosed, '该回访任务已记录或已关闭');
    const actor = d.actor;
    // The revisit is the helper's, or the village's (DESIGN.md). Escalation chases them (督办); the
    // township never records a visit it did not make.
    const helper = actor.role === 'helper' && actor.id === state.helperId;
    const village = actor.role === 'village' && isWithin(actor.regionCode, this.input.villageCode);
    if (!helper && !village)
      throw refuse(DecisionRefusal.NotAssignee, `该回访由帮扶责任人 ${state.helperId ?? '(未指派)'} 或本村办理`);
    if (d.decision !== 'approve')
      throw refuse(DecisionRefusal.UnknownDecision, '回访以 approve 记录, 填写 data 中的回访表', { field: 'decision' });
    // The form itself is checked by the API and by the registry's verifyDecider (zod stays out of workflows).
  }

  private async finish(outcome: string): Promise<FollowUpState> {
    const { state } = this;
    state.status = 'FINISHED';
    state.outcome = outcome;
    state.openTaskId = null;
    await registry.finishCase({ caseId: this.input.caseId, status: 'COMPLETED', outcome });
    upsertSearchAttributes([
      { key: SearchKeys.ProcessStep, value: 'finished' },
      { key: SearchKeys.Overdue, value: false },
    ]);
    return { ...state };
  }
}
