import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Connection, type WorkflowHandle } from '@temporalio/client';
import {
  decideUpdate,
  PROCEDURE_WORKFLOW,
  stateQuery,
  TaskQueues,
  type Actor,
  type CaseState,
  type Decision,
  type ProcedureInput,
  type ProcedureKind,
} from '@jingzhun/contracts';
import { INDEXED_TYPE, SEARCH_ATTRIBUTES } from '../../tools/devkit/src/engines/temporal';
import { testEngines } from './engines';
import { actors, FakeRegistry } from './fake-registry';

/*
 * The time-skipping test server permits a client ping at most every 5 minutes; grpc-js pings every
 * 30 s, so a test file that runs longer than that (a loaded CI machine) has its connection dropped
 * with "excess pings" and a call stalls. TestWorkflowEnvironment takes no channel arguments, so the
 * keepalive is widened here, for the tests' connections only.
 */
const connect = Connection.connect.bind(Connection);
Connection.connect = (options) =>
  connect({
    ...options,
    channelArgs: {
      'grpc.keepalive_time_ms': 10 * 60_000,
      'grpc.keepalive_permit_without_calls': 0,
      ...options?.channelArgs,
    },
  });

/** The time-skipping test server, from the binary `npm test` found (never a download). */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEngines.temporalTestServerBin } },
  });
  // The workflows keep DESIGN.md's search attributes current; the test server must know them too.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, INDEXED_TYPE[type]]),
    ),
  });
  return env;
}

/** Runs `fn` with a workflow worker (the bundle built once per test run) and the fake registry's activities. */
export async function withWorkers<T>(
  env: TestWorkflowEnvironment,
  fake: FakeRegistry,
  fn: () => Promise<T>,
): Promise<T> {
  const workflows = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TaskQueues.processes,
    workflowBundle: { codePath: testEngines.workflowBundle },
  });
  const activities = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TaskQueues.registry,
    activities: fake.activities(),
  });
  return workflows.runUntil(() =>
    activities.runUntil(async () => {
      try {
        return await fn();
      } finally {
        await terminateLeftovers();
      }
    }),
  );
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

const started: WorkflowHandle[] = [];

export async function startProcedure(env: TestWorkflowEnvironment, input: ProcedureInput): Promise<WorkflowHandle> {
  const handle = await env.client.workflow.start(PROCEDURE_WORKFLOW[input.kind], {
    taskQueue: TaskQueues.processes,
    workflowId: input.workflowId,
    args: [input],
  });
  started.push(handle);
  return handle;
}

/**
 * Terminates what a test left running. One test server serves a whole file; a workflow still
 * waiting on timers would otherwise fire them during a later test's time skip.
 */
export async function terminateLeftovers(): Promise<void> {
  for (const h of started.splice(0)) {
    const { status } = await h.describe().catch(() => ({ status: { name: 'UNKNOWN' } }));
    if (status.name === 'RUNNING') await h.terminate('test finished').catch(() => undefined);
  }
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

export async function decide(
  handle: WorkflowHandle,
  step: string,
  decision: Decision,
  actor: Actor,
  data?: Record<string, unknown>,
): Promise<CaseState> {
  const t = await openTask(handle, step);
  return handle.executeUpdate(decideUpdate, {
    args: [{ taskId: t.taskId, decision, comment: `${decision} at ${step}`, data, actor }],
  });
}

export async function waitForStep(handle: WorkflowHandle, step: string): Promise<CaseState> {
  for (let i = 0; i < 200; i++) {
    const state = await handle.query(stateQuery);
    if (state.step === step) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`case never reached ${step}; state: ${JSON.stringify(await handle.query(stateQuery))}`);
}

/**
 * Skips virtual time once the workflow is quiet. The test server cannot skip time while an
 * activity runs, so a skip requested mid-activity (a loaded machine) would take real days.
 */
export async function skip(env: TestWorkflowEnvironment, handle: WorkflowHandle, ms: number): Promise<void> {
  let quietChecks = 0;
  for (let i = 0; i < 400 && quietChecks < 2; i++) {
    const raw = (await handle.describe()).raw;
    const busy = (raw.pendingActivities?.length ?? 0) > 0 || !!raw.pendingWorkflowTask;
    quietChecks = busy ? 0 : quietChecks + 1;
    if (quietChecks < 2) await new Promise((r) => setTimeout(r, 25));
  }
  await env.sleep(ms);
}

/** A refused update as `TYPE: field: message` (the validator's ApplicationFailure type, its field if any). */
export function refusalOf(err: unknown): string {
  const cause = (err as { cause?: { type?: string; message?: string; details?: { field?: string }[] } })?.cause;
  const field = cause?.details?.[0]?.field;
  return `${cause?.type}: ${field ? `${field}: ` : ''}${cause?.message}`;
}

/**
 * A fresh time-skipping test server for each test of the file (one server serving many tests in a
 * row occasionally stalls a time skip), torn down after it. Returns the current test's environment.
 */
export function timeSkippingPerTest(): TestWorkflowEnvironment {
  let current: TestWorkflowEnvironment | undefined;
  beforeEach(async () => {
    current = await timeSkippingEnv();
  });
  afterEach(async () => {
    await current?.teardown().catch(() => undefined);
    current = undefined;
  });
  return new Proxy({} as TestWorkflowEnvironment, {
    get(_, key) {
      if (!current) throw new Error('the time-skipping environment exists only inside a test');
      const value = (current as unknown as Record<string | symbol, unknown>)[key];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
