import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import {
  decideUpdate,
  followUpStateQuery,
  TaskQueues,
  type Actor,
  type FollowUpInput,
  type FollowUpState,
} from '@jingzhun/contracts';

/** A follow-up's parts for the workflow tests: its input, its start, its open revisit and a visit. */
export const DAY = 86_400_000;

export const helper: Actor = { id: 'helper-1', role: 'helper', regionCode: '411599001001' };
export const quiet = {
  incomeChange: 'same',
  newRisks: [],
  needs: { food: true, clothing: true, education: true, medical: true, housing: true, water: true },
  note: '',
};

let serial = 0;
export function followUpInput(): FollowUpInput {
  serial++;
  return {
    caseId: `fu-case-${serial}`,
    workflowId: `follow_up/hh-fu-${serial}/${Math.random().toString(36).slice(2, 8)}`,
    householdId: `hh-fu-${serial}`,
    householdNumber: '41159900100100007',
    villageCode: '411599001001',
    townshipCode: '411599001000',
    countyCode: '411599000000',
    cycle: 1,
    overdueCount: 0,
    visits: 0,
  };
}

export async function start(env: TestWorkflowEnvironment, input: FollowUpInput): Promise<WorkflowHandle> {
  return env.client.workflow.start('followUpProcedure', {
    taskQueue: TaskQueues.processes,
    workflowId: input.workflowId,
    args: [input],
  });
}

/** The open revisit of the cycle (real time; the handle follows the chain of runs). */
export async function openRevisit(
  env: TestWorkflowEnvironment,
  workflowId: string,
  cycle: number,
): Promise<FollowUpState> {
  for (let i = 0; i < 400; i++) {
    const s = await env.client.workflow
      .getHandle(workflowId)
      .query(followUpStateQuery)
      .catch(() => null);
    if (s && s.cycle === cycle && s.openTaskId) return s;
    if (s?.status === 'FINISHED') throw new Error(`follow-up finished before cycle ${cycle}: ${s.outcome}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no revisit open for cycle ${cycle}`);
}

export async function visit(
  env: TestWorkflowEnvironment,
  workflowId: string,
  taskId: string,
  actor: Actor,
  data: Record<string, unknown> = quiet,
) {
  return env.client.workflow
    .getHandle(workflowId)
    .executeUpdate(decideUpdate, { args: [{ taskId, decision: 'approve', comment: '已回访', data, actor }] });
}
