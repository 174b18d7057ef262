import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import {
  SearchKeys,
  type CaseState,
  type FollowUpCycle,
  type FollowUpInput,
  type FollowUpState,
} from '@jingzhun/contracts/src/workflow';
import { climbDeadlines } from './deadline-ladder';
import { DAY_MS, escalationOf, registry } from './procedure';

/**
 * A revisit's deadlines: reminder → overdue → the village → the township, each only if the visit
 * has not come by then (`visitedBy` waits for it until a time, or without limit for null). Since
 * 'revisit-reminders-daily' (#23) the reminder before the due date is no longer this workflow's: the
 * notifications service's morning digest reminds each helper once a day of every revisit due within
 * the week, so a helper with 30 households gets one message, not 30, and the run has no timer for it.
 */
export async function revisitLadder(
  taskId: string,
  due: number,
  cycle: FollowUpCycle,
  villageCode: string,
  run: { overdue: () => void; visitedBy: (until: number | null) => Promise<boolean> },
): Promise<void> {
  const grace = cycle.escalationGraceDays * DAY_MS;
  const escalate = async (to: { role: string; regionCode: string }) => {
    await registry.taskDeadline({ taskId, event: 'escalated', escalatedTo: to });
  };
  const reminder = patched('revisit-reminders-daily')
    ? []
    : [
        {
          at: due - cycle.reminderBeforeDays * DAY_MS,
          run: () => registry.taskDeadline({ taskId, event: 'reminder' }),
        },
      ];
  await climbDeadlines(
    [
      ...reminder,
      {
        at: due,
        run: async () => {
          run.overdue();
          upsertSearchAttributes([{ key: SearchKeys.Overdue, value: true }]);
          await registry.taskDeadline({ taskId, event: 'overdue' });
        },
      },
      { at: due + grace, run: () => escalate({ role: 'village', regionCode: villageCode }) },
      { at: due + 2 * grace, run: () => escalate(escalationOf('village', villageCode)!) },
    ],
    run.visitedBy,
  );
}

/** The follow-up as the `decide` update answers it: the shape every procedure's case state has. */
export function followUpCaseState(input: FollowUpInput, state: FollowUpState): CaseState {
  return {
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
  };
}
