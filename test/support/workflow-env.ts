import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { decideUpdate, stateQuery, TaskQueues, type Actor, type CaseState, type Decision, type ProcedureInput, type ProcedureKind } from '@jingzhun/contracts';
import { INDEXED_TYPE, SEARCH_ATTRIBUTES } from '../../libs/devkit/src/engines/temporal';
import { testEngines } from './engines';
import { actors, FakeRegistry } from './fake-registry';

/** The time-skipping test server, from the binary `npm test` found (never a download). */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEngines.temporalTestServerBin } },
  });
  // The workflows keep DESIGN.md's search attributes current; the test server must know them too.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, INDEXED_TYPE[type]])),
  });
  return env;
}

/** Runs `fn` with a workflow worker (the bundle built once per test run) and the fake registry's activities. */
export async function withWorkers<T>(env: TestWorkflowEnvironment, fake: FakeRegistry, fn: () => Promise<T>): Promise<T> {
  const workflows = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TaskQueues.processes,
    workflowBundle: { codePath: testEngines.workflowBundle },
  });
  const activities = await Worker.create({ connection: env.nativeConnection, taskQueue: TaskQueues.registry, activities: fake.activities() });
  return workflows.runUntil(() => activities.runUntil(fn));
}

let serial = 0;
export function procedureInput(kind: ProcedureKind, overrides: Partial<ProcedureInput> = {}): ProcedureInput {
  serial++;
  const householdId = `hh-${serial}`;
  return {
    caseId: `case-${serial}`,
    kind,
    workflowId: `${kind}/${householdId}/2026/${Math.random().toString(36).slice(2, 8)}`,
    householdId,
    householdNumber: `4115990010010000${serial % 10}`,
    regionCode: '411599001001',
    villageCode: '411599001001',
    townshipCode: '411599001000',
    countyCode: '411599000000',
    year: 2026,
    reason: 'test',
    data: {},
    openedBy: actors.village,
    ...overrides,
  };
}

const WORKFLOW_TYPE: Record<ProcedureKind, string> = {
  identification: 'identificationProcedure',
  exit: 'exitProcedure',
  return: 'returnProcedure',
  member_change: 'memberChangeProcedure',
  village_exit: 'villageExitProcedure',
};

export async function startProcedure(env: TestWorkflowEnvironment, input: ProcedureInput): Promise<WorkflowHandle> {
  return env.client.workflow.start(WORKFLOW_TYPE[input.kind], { taskQueue: TaskQueues.processes, workflowId: input.workflowId, args: [input] });
}

/** Waits (real time, no time skipping) until the case has an open task for `step`. */
export async function openTask(handle: WorkflowHandle, step: string): Promise<CaseState['openTasks'][number]> {
  for (let i = 0; i < 200; i++) {
    const state = await handle.query(stateQuery);
    const t = state.openTasks.find((x) => x.step === step);
    if (t) return t;
    if (state.status !== 'OPEN') throw new Error(`case ended (${state.status}: ${state.outcome}) before ${step}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no open task for ${step}; state: ${JSON.stringify(await handle.query(stateQuery))}`);
}

export async function decide(handle: WorkflowHandle, step: string, decision: Decision, actor: Actor, data?: Record<string, unknown>): Promise<CaseState> {
  const t = await openTask(handle, step);
  return handle.executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, decision, comment: `${decision} at ${step}`, data, actor }] });
}

export async function waitForStep(handle: WorkflowHandle, step: string): Promise<CaseState> {
  for (let i = 0; i < 200; i++) {
    const state = await handle.query(stateQuery);
    if (state.step === step) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`case never reached ${step}; state: ${JSON.stringify(await handle.query(stateQuery))}`);
}
