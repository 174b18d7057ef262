import { allHandlersFinished, condition, continueAsNew, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { addCadence, isCadence, isWithin, revisitFormSchema } from '@jingzhun/domain';
import {
  DecisionRefusal,
  refuse,
  cadenceChangedSignal,
  decideUpdate,
  followUpStateQuery,
  helperReassignedSignal,
  SearchKeys,
  stopFollowUpSignal,
  type CaseState,
  type DecideInput,
  type FollowUpInput,
  type FollowUpState,
} from '@jingzhun/contracts';
import { DAY_MS, escalationOf, registry, waitUntil } from './steps/procedure';

/**
 * 回访 (follow-up): for an EXITED household during its 5-year transition period and for a
 * monitored household while it is monitored. Each run is one cycle: a revisit task for the
 * household's helper, due one cadence (policy: quarterly / monthly) after the last due date;
 * a reminder before it; at the due date an overdue reminder to the helper; after a grace period
 * escalation to the village, after another to the township. The visit is the task's decision
 * (a short structured form); a visit that finds risk starts monitoring inclusion. Then the
 * workflow continues as new, so the history of one run stays small over years.
 */
export async function followUpProcedure(input: FollowUpInput): Promise<FollowUpState> {
  const state: FollowUpState = {
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
  let stopReason: string | null = null;
  let visit: DecideInput | null = null;
  let escalatedTo: { role: string; regionCode: string } | null = null;
  let applied = false;
  let reassigned = false;
  /** A cadence an officer set by signal; it outlives this run. */
  let cadenceOverride = input.cadence ?? null;

  const caseState = (): CaseState => ({
    caseId: input.caseId,
    workflowId: input.workflowId,
    kind: 'follow_up',
    status: state.status === 'OPEN' ? 'OPEN' : 'COMPLETED',
    step: state.openTaskId ? 'revisit' : 'waiting',
    dueAt: state.nextDueAt,
    round: state.cycle,
    openTasks: [],
    notice: null,
    outcome: state.outcome,
  });

  setHandler(followUpStateQuery, () => ({ ...state, nextCadence: cadenceOverride }));
  setHandler(helperReassignedSignal, ({ helperId }) => {
    state.helperId = helperId;
    reassigned = true;
  });
  setHandler(cadenceChangedSignal, ({ cadence }) => {
    if (cadence === null || isCadence(cadence)) cadenceOverride = cadence;
  });
  setHandler(stopFollowUpSignal, ({ reason }) => {
    stopReason ??= reason;
  });
  setHandler(
    decideUpdate,
    async (d) => {
      visit = d;
      state.openTaskId = null; // before any await: a second decision fails validation
      await condition(() => applied);
      return caseState();
    },
    {
      validator: (d) => {
        if (!state.openTaskId || d.taskId !== state.openTaskId) throw refuse(DecisionRefusal.TaskClosed, '该回访任务已记录或已关闭');
        const a = d.actor;
        const helper = a.role === 'helper' && a.id === state.helperId;
        const village = a.role === 'village' && isWithin(a.regionCode, input.villageCode);
        const escalated = escalatedTo !== null && a.role === escalatedTo.role && isWithin(a.regionCode, escalatedTo.regionCode);
        if (!helper && !village && !escalated) throw refuse(DecisionRefusal.NotAssignee, `该回访由帮扶责任人 ${state.helperId ?? '(未指派)'} 办理`);
        if (d.decision !== 'approve') throw refuse(DecisionRefusal.UnknownDecision, '回访以 approve 记录, 填写 data 中的回访表', { field: 'decision' });
        const form = revisitFormSchema.safeParse(d.data ?? {});
        if (!form.success) {
          const issue = form.error.issues[0];
          throw refuse(DecisionRefusal.InvalidForm, `回访表: ${issue.message}`, { field: ['data', ...issue.path].join('.') });
        }
      },
    },
  );
  const finish = async (outcome: string): Promise<FollowUpState> => {
    state.status = 'FINISHED';
    state.outcome = outcome;
    state.openTaskId = null;
    await registry.finishCase({ caseId: input.caseId, status: 'COMPLETED', outcome });
    upsertSearchAttributes([
      { key: SearchKeys.ProcessStep, value: 'finished' },
      { key: SearchKeys.Overdue, value: false },
    ]);
    return { ...state };
  };

  const cycle = await registry.followUpCycle({ householdId: input.householdId, at: new Date().toISOString() });
  if (!cycle.active) return finish(cycle.why);
  state.helperId ??= cycle.helperId;
  const cadence = cadenceOverride ?? cycle.cadence;
  state.cadence = cadence;
  const dueAt = input.nextDueAt ? new Date(input.nextDueAt) : addCadence(new Date(), cadence);
  state.nextDueAt = dueAt.toISOString();

  // The transition period ends before the next visit would be due: wait it out, then stop.
  if (cycle.endsAt && dueAt.getTime() > new Date(cycle.endsAt).getTime()) {
    await registry.enterStep({ caseId: input.caseId, step: 'waiting', dueAt: cycle.endsAt, round: input.cycle });
    await waitUntil(() => stopReason !== null, new Date(cycle.endsAt).getTime());
    return finish(stopReason ?? '过渡期结束, 回访完成');
  }
  // No helper assigned: the village owes the visit (and is reminded) until one is.
  const { taskId } = await registry.openTask({
    caseId: input.caseId,
    workflowId: input.workflowId,
    key: `${input.workflowId}/c${input.cycle}/revisit`,
    step: 'revisit',
    role: state.helperId ? 'helper' : 'village',
    regionCode: input.villageCode,
    dueAt: state.nextDueAt,
    availableAt: null,
    objectionId: null,
    assigneeId: state.helperId,
  });
  state.openTaskId = taskId;
  await registry.enterStep({ caseId: input.caseId, step: 'revisit', dueAt: state.nextDueAt, round: input.cycle });
  upsertSearchAttributes([
    { key: SearchKeys.ProcessStep, value: 'revisit' },
    { key: SearchKeys.StepDueAt, value: dueAt },
    { key: SearchKeys.Overdue, value: false },
  ]);

  const done = () => visit !== null || stopReason !== null;
  const due = dueAt.getTime();
  const grace = cycle.escalationGraceDays * DAY_MS;
  // Deadlines, each only if nothing happened before it: reminder → overdue → village → township.
  const chain: { at: number; run: () => Promise<void> }[] = [
    { at: due - cycle.reminderBeforeDays * DAY_MS, run: () => registry.taskDeadline({ taskId, event: 'reminder' }) },
    {
      at: due,
      run: async () => {
        state.overdue = true;
        state.overdueCount++;
        upsertSearchAttributes([{ key: SearchKeys.Overdue, value: true }]);
        await registry.taskDeadline({ taskId, event: 'overdue' });
      },
    },
    { at: due + grace, run: () => escalate({ role: 'village', regionCode: input.villageCode }) },
    { at: due + 2 * grace, run: () => escalate(escalationOf('village', input.villageCode)!) },
  ];
  async function escalate(to: { role: string; regionCode: string }): Promise<void> {
    escalatedTo = to;
    await registry.taskDeadline({ taskId, event: 'escalated', escalatedTo: to });
  }
  /** Waits for the visit (or a stop) until `at` (null: no limit), moving the task whenever the helper changes. */
  async function visitedBy(at: number | null): Promise<boolean> {
    for (;;) {
      const woke = at === null ? (await condition(() => done() || reassigned), true) : await waitUntil(() => done() || reassigned, at);
      if (done()) return true;
      if (!woke) return false;
      reassigned = false;
      await registry.reassignTask({ taskId, assigneeId: state.helperId! });
    }
  }
  for (const step of chain) {
    if (await visitedBy(step.at)) break;
    await step.run();
  }
  if (!done()) await visitedBy(null);

  if (!visit) {
    await registry.closeTask({ taskId, decision: 'cancelled', comment: stopReason!, data: {}, actor: null });
    applied = true;
    return finish(stopReason!);
  }
  const v: DecideInput = visit;
  const late = Date.now() > due;
  await registry.closeTask({ taskId, decision: 'approve', comment: v.comment, data: v.data ?? {}, actor: v.actor });
  const { visitId, riskReasons } = await registry.recordRevisit({ caseId: input.caseId, taskId, householdId: input.householdId, form: v.data ?? {}, actor: v.actor, late });
  state.visits++;
  if (riskReasons.length > 0 && cycle.basis === 'exited') {
    // 回访发现风险 → 纳入监测 starts by itself; the decision clock runs from this visit.
    await registry.openSystemCase({
      kind: 'monitoring_inclusion',
      householdId: input.householdId,
      reason: `回访发现风险: ${riskReasons.join('; ')}`,
      data: { trigger: 'visit', firstClueAt: new Date().toISOString(), visitId, monitoringType: 'UNSTABLE_EXITED' },
    });
  }
  applied = true;
  await condition(allHandlersFinished);

  // The calendar holds: a late visit does not push the next one back, but the next is never due before a week from now.
  const nextCadence = cadenceOverride ?? cycle.cadence;
  let next = addCadence(dueAt, nextCadence);
  if (next.getTime() < Date.now() + 7 * DAY_MS) next = addCadence(new Date(), nextCadence);
  if (stopReason) return finish(stopReason);
  return continueAsNew<typeof followUpProcedure>({
    ...input,
    cycle: input.cycle + 1,
    nextDueAt: next.toISOString(),
    overdueCount: state.overdueCount,
    visits: state.visits,
    cadence: cadenceOverride,
  });
}
