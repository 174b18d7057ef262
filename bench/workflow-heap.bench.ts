import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import {
  followUpWorkflowId,
  TaskQueues,
  WorkflowTypes,
  type FollowUpCycle,
  type FollowUpInput,
  type RegistryActivities,
} from '@jingzhun/contracts';
import { buildWorkflowBundle } from '../apps/worker/src/workflow-bundle';
import { freePort } from '../tools/devkit/src/engines/net';
import { ensureTemporal } from '../tools/devkit/src/engines/temporal';
import { DATA, ROOT, requiredEnv } from '../tools/devkit/src/paths';
import { row, type BenchRow } from './table';

const MiB = 2 ** 20;

/** What the follow-ups ask the registry, answered at once (the bench measures the workflow worker, not the registry). */
function fakeRegistry(onRevisitOpened: () => void): Record<string, (...args: unknown[]) => Promise<unknown>> {
  let n = 0;
  const cycle: FollowUpCycle = {
    active: true,
    why: '过渡期内回访',
    basis: 'exited',
    helperId: 'helper-1',
    villageCode: '411599001001',
    cadence: 'P3M',
    reminderBeforeDays: 7,
    escalationGraceDays: 7,
    endsAt: null,
  };
  const names: (keyof RegistryActivities)[] = [
    'verifyDecider',
    'loadPolicy',
    'enterStep',
    'openTask',
    'closeTask',
    'advance',
    'taskDeadline',
    'publishNotice',
    'closeNotice',
    'resolveObjection',
    'announce',
    'finishCase',
    'caseLate',
    'openSystemCase',
    'followUpCycle',
    'reassignTask',
    'recordRevisit',
  ];
  const answer = (name: string) => async () => {
    if (name === 'followUpCycle') return cycle;
    if (name === 'openTask') {
      onRevisitOpened();
      return { taskId: `t-${++n}` };
    }
    return undefined;
  };
  return Object.fromEntries(names.map((name) => [name, answer(name)]));
}

/** A workflow worker in a child process on `bundle`; resolves once it polls. */
async function workerProcess(
  address: string,
  bundle: string,
  taskQueue: string,
): Promise<{ child: ChildProcess; measure: () => Promise<{ heapUsed: number; rss: number }> }> {
  const child = fork(join(__dirname, 'workflow-heap-worker.ts'), [address, bundle, taskQueue], {
    execArgv: ['--expose-gc', '-r', join(ROOT, 'tools/devkit/register.js')],
    stdio: 'inherit',
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
  // A worker that dies later (out of memory) ends the bench instead of leaving it waiting.
  child.on('exit', (code, signal) => {
    if (code !== 0) {
      process.stderr.write(`工作流 worker 进程退出: code ${code}, signal ${signal}\n`);
      process.exit(1);
    }
  });
  const measure = () =>
    new Promise<{ heapUsed: number; rss: number }>((resolve) => {
      child.once('message', (m) => resolve(m as { heapUsed: number; rss: number }));
      child.send('measure');
    });
  return { child, measure };
}

/**
 * `npm run bench:workflow-heap [-- --workflows N] [-- --bundle FILE]`: the memory each cached workflow
 * costs the workflow worker (RSS: each workflow's V8 context lies outside the JS heap). N follow-ups (default 2 000) run to their first revisit and wait there,
 * every one in the worker's sticky cache; beside them, in a second worker process, N bare workflows
 * (no imports, one update handler) of the benches' bundle. Each figure is the worker's RSS after a
 * full GC, minus its RSS before the workflows, over N (the JS heap is printed too). `--bundle` measures another build of the
 * production workflows (e.g. one built from an older commit) against the same baseline.
 */
export async function benchWorkflowHeap(args: string[]): Promise<BenchRow[]> {
  const n = args.includes('--workflows') ? Number(args[args.indexOf('--workflows') + 1]) : 2_000;
  const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
  const port = await freePort();
  const temporal = await ensureTemporal({
    address: `127.0.0.1:${port}`,
    namespace: 'default',
    bin: requiredEnv('JZ_TEMPORAL_BIN'),
    dbFile: null,
    port,
    uiPort: null,
    log: () => undefined,
    reuse: false,
  });
  try {
    const production = args.includes('--bundle')
      ? args[args.indexOf('--bundle') + 1]
      : await buildWorkflowBundle(join(DATA, 'bench', 'heap-workflow-bundle.js'));
    const benches = await buildWorkflowBundle(
      join(DATA, 'bench', 'heap-bench-bundle.js'),
      join(ROOT, 'bench', 'workflows.ts'),
    );
    const connection = await Connection.connect({ address: temporal.url });
    const client = new Client({ connection });

    // 1. N follow-ups on the production bundle, each waiting at its first revisit.
    let opened = 0;
    const activities = await Worker.create({
      connection: await (await import('@temporalio/worker')).NativeConnection.connect({ address: temporal.url }),
      taskQueue: TaskQueues.registry,
      activities: fakeRegistry(() => opened++),
    });
    const running = activities.run();
    const follow = await workerProcess(temporal.url, production, TaskQueues.processes);
    const before = await follow.measure();
    for (let i = 0; i < n; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, n - i) }, (_, k) => {
          const id = `hh-${i + k}`;
          const input: FollowUpInput = {
            caseId: `case-${i + k}`,
            workflowId: followUpWorkflowId(id, `case-${i + k}`),
            householdId: id,
            householdNumber: null,
            villageCode: '411599001001',
            townshipCode: '411599001000',
            countyCode: '411599000000',
            cycle: 1,
            overdueCount: 0,
            visits: 0,
          };
          return client.workflow.start(WorkflowTypes.followUp, {
            taskQueue: TaskQueues.processes,
            workflowId: input.workflowId,
            args: [input],
          });
        }),
      );
    }
    while (opened < n) await new Promise((r) => setTimeout(r, 200));
    const after = await follow.measure();
    follow.child.send('stop');
    activities.shutdown();
    await running;
    // Each workflow's V8 context lives outside the isolate's JS heap: the process's RSS is what it costs.
    const perFollowUp = (after.rss - before.rss) / n;
    out(
      `回访工作流 ${n} 个 (缓存中): worker 堆 ${(before.heapUsed / MiB).toFixed(0)} → ${(after.heapUsed / MiB).toFixed(0)} MiB, RSS ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB; 每个: 堆 ${((after.heapUsed - before.heapUsed) / n / 1024).toFixed(1)} KiB, RSS ${(perFollowUp / 1024).toFixed(1)} KiB`,
    );

    // 2. Baseline: N bare workflows in a fresh worker process.
    const bare = await workerProcess(temporal.url, benches, 'heap-bare');
    const bareBefore = await bare.measure();
    for (let i = 0; i < n; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, n - i) }, (_, k) =>
          client.workflow.start('benchBareWorkflow', { taskQueue: 'heap-bare', workflowId: `heap-bare/${i + k}` }),
        ),
      );
    }
    // A bare workflow is cached once its first task ran: wait until the last ones' first tasks completed.
    for (let k = n - 1; k >= Math.max(0, n - 20); k--) {
      while (((await client.workflow.getHandle(`heap-bare/${k}`).describe()).historyLength ?? 0) < 4)
        await new Promise((r) => setTimeout(r, 200));
    }
    const bareAfter = await bare.measure();
    bare.child.send('stop');
    const perBare = (bareAfter.rss - bareBefore.rss) / n;
    out(
      `基线 裸工作流 ${n} 个 (缓存中): worker 堆 ${(bareBefore.heapUsed / MiB).toFixed(0)} → ${(bareAfter.heapUsed / MiB).toFixed(0)} MiB, RSS ${(bareBefore.rss / MiB).toFixed(0)} → ${(bareAfter.rss / MiB).toFixed(0)} MiB; 每个: 堆 ${((bareAfter.heapUsed - bareBefore.heapUsed) / n / 1024).toFixed(1)} KiB, RSS ${(perBare / 1024).toFixed(1)} KiB`,
    );
    await connection.close();
    return [
      row(
        `workflow worker memory (RSS) per cached follow-up, ${n} cached, vs a bare workflow`,
        `${(perFollowUp / 1024).toFixed(0)} KiB`,
        `${(perBare / 1024).toFixed(0)} KiB`,
        perFollowUp / perBare,
        { atMost: 1.5 },
      ),
    ];
  } finally {
    await temporal.stop?.();
  }
}
