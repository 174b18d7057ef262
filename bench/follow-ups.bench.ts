import { Client, Connection } from '@temporalio/client';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { TaskQueues } from '@jingzhun/contracts';
import { workerSizing } from '@jingzhun/platform';
import { DATA } from '../tools/devkit/src/paths';
import { registryContext } from '../tools/devkit/src/registry-context';
import { seedBenchCounty } from './bench-county';
import { benchEngines } from './bench-engines';
import { spawnRegistry } from './console-fixture';
import { procStats, readings, spawnWorker, usageSince } from './proc-stats';
import { row, type BenchRow } from './table';

/** The worker's budget as a 1 GiB container gives it (85 % of the limit): the bar is RSS < 1 GiB. */
const WORKER_BUDGET_MB = 870;

/**
 * `npm run bench:follow-ups [-- --households N]`, as deployed (#23 §2): N exited households
 * (default 100 000) are seeded, then the registry and the production workflow worker start as
 * processes of their own; the registry's own coverage sweep (as `npm run dev` and production run it)
 * opens a follow-up for every one, each workflow start-delayed toward its first revisit (no workflow
 * task until then: the first run is a timer on the server, not a cached workflow). Beside it, N bare
 * `workflow.start`s on the same server, whose first tasks fill the worker's cache. Prints starts/s,
 * the ratio, each process's CPU per start and peak RSS, the worker's RSS with its cache full and per
 * cached workflow, and the Temporal store per workflow.
 */
export async function benchFollowUps(args: string[]): Promise<BenchRow[]> {
  const n = args.includes('--households') ? Number(args[args.indexOf('--households') + 1]) : 100_000;
  const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
  const dbFile = join(DATA, 'bench', `temporal-follow-ups-${Date.now().toString(36)}.db`);
  const engines = await benchEngines({ temporal: true, temporalDbFile: dbFile });
  const { stops, url, bundle } = engines;
  try {
    const env = { DATABASE_URL: url, NATS_URL: engines.natsUrl, TEMPORAL_ADDRESS: engines.temporalUrl };
    // N households that exited last year: inside their transition period, each owed a follow-up.
    const exitYear = String(new Date().getUTCFullYear() - 1);
    const seeder = await registryContext({ ...process.env, ...env, LOG_LEVEL: 'silent', FOLLOW_UP_SWEEP_SECONDS: '0' });
    await seedBenchCounty(seeder, n, {
      status: 'EXITED',
      identifiedYear: '2016',
      exitYear,
      monitoringType: undefined,
      monitoredSince: undefined,
    });
    await seeder.close();
    out(`数据: ${n} 户已脱贫户 (${exitYear} 年脱贫, 过渡期内)`);

    const sizing = workerSizing({ budgetMiB: WORKER_BUDGET_MB });
    const worker = await spawnWorker({
      ...env,
      WORKFLOW_BUNDLE: bundle,
      WORKER_MEMORY_BUDGET_MB: String(WORKER_BUDGET_MB),
    });
    stops.push(async () => void worker.kill('SIGTERM'));
    const idleWorkerMb = procStats(worker.pid!).rssMb;
    out(
      `工作流 worker: 预算 ${WORKER_BUDGET_MB} MiB → 缓存 ${sizing.maxCachedWorkflows}, 空闲 RSS ${idleWorkerMb.toFixed(0)} MiB`,
    );

    // The registry sweeps by itself a few seconds after it answers (FollowUpCoverage.keepCovered).
    const registry = await spawnRegistry(engines, { DB_POOL_SIZE: '20' });
    stops.push(async () => void registry.child.kill('SIGTERM'));
    const procs = new Map([
      ['registry', registry.child],
      ['worker', worker],
    ]);
    const before = readings(procs);
    const connection = await Connection.connect({ address: engines.temporalUrl });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const running = async (type: string) =>
      (await client.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Running'`)).count;
    const pool = new Pool({ connectionString: url, options: '-c search_path=registry' });
    stops.push(() => pool.end());

    let lastReport = 0;
    for (;;) {
      const live = await running('followUpProcedure');
      if (live >= n) break;
      if (Date.now() - lastReport > 10_000) {
        out(`  回访覆盖 已启动 ${live}/${n}`);
        lastReport = Date.now();
      }
      if (registry.child.exitCode !== null) throw new Error(`registry exited (${registry.child.exitCode})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const sweepUsage = usageSince(before, procs);
    // The sweep's span: its first case row to its last workflow start (the count above reached N).
    const { rows: span } = await pool.query<{ s: number }>(
      `SELECT extract(epoch FROM now() - min(created_at))::float AS s FROM "case" WHERE kind = 'follow_up'`,
    );
    const sweepS = span[0].s;

    let next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < n) {
          const i = next++;
          await client.workflow.start('benchBareWorkflow', {
            taskQueue: TaskQueues.processes,
            workflowId: `bench-bare-follow-up/${i}`,
          });
        }
      }),
    );
    const bareS = (performance.now() - t1) / 1000;
    // Their first tasks run after the starts answered; the cache is full once they are all done.
    await new Promise((r) => setTimeout(r, 5000));
    const full = procStats(worker.pid!);
    const cached = Math.min(n, sizing.maxCachedWorkflows);
    // Against the worker's RSS before it ran anything: the cache is its only growth.
    const perCachedKiB = ((full.rssMb - idleWorkerMb) * 1024) / cached;

    const { rows: live } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "case" WHERE kind = 'follow_up' AND status = 'OPEN'`,
    );
    if (live[0].n !== n) throw new Error(`在办回访 ${live[0].n}, 应为 ${n}`);
    const storeBytes = existsSync(dbFile)
      ? statSync(dbFile).size + (existsSync(`${dbFile}-wal`) ? statSync(`${dbFile}-wal`).size : 0)
      : 0;
    const perWorkflow = storeBytes / (2 * n); // follow-ups and bare workflows share the store

    const startsPerS = n / sweepS;
    const barePerS = n / bareS;
    const perStart = sweepUsage
      .map((p) => `${p.name} ${((p.cpuS * 1000) / n).toFixed(1)} ms CPU/start, peak ${p.peakRssMb.toFixed(0)} MB`)
      .join('; ');
    const workerPeak = full.peakRssMb;
    out('');
    out(
      `回访覆盖 (台账自行扫描: 批量台账事务+审计+outbox+延迟启动工作流): ${n} 个, ${sweepS.toFixed(1)} s, ${startsPerS.toFixed(0)}/s`,
    );
    out(
      `基线 裸工作流启动:                                       ${n} 个, ${bareS.toFixed(1)} s, ${barePerS.toFixed(0)}/s`,
    );
    out(`吞吐比 覆盖 / 裸 = ${(startsPerS / barePerS).toFixed(2)}   (目标 ≥ 0.8)`);
    out(`进程开销 覆盖: ${perStart}`);
    out(
      `工作流 worker: 缓存满 (${cached} 个) RSS ${full.rssMb.toFixed(0)} MiB, 峰值 ${workerPeak.toFixed(0)} MiB, 每个缓存工作流约 ${perCachedKiB.toFixed(0)} KiB`,
    );
    out(
      `Temporal 存储 (SQLite): ${(storeBytes / 2 ** 20).toFixed(0)} MiB, 每个工作流约 ${(perWorkflow / 1024).toFixed(1)} KiB`,
    );
    return [
      row(
        `${n.toLocaleString('en')} follow-ups started by the registry's own sweep vs bare workflow.start (${perStart})`,
        `${startsPerS.toFixed(0)}/s`,
        `${barePerS.toFixed(0)}/s`,
        startsPerS / barePerS,
        { atLeast: 0.8 },
      ),
      row(
        `workflow worker peak RSS with ${n.toLocaleString('en')} follow-ups live and its cache full (${cached} cached at ≈ ${perCachedKiB.toFixed(0)} KiB each; budget ${WORKER_BUDGET_MB} MiB)`,
        `${workerPeak.toFixed(0)} MiB`,
        '1024 MiB',
        workerPeak / 1024,
        { atMost: 1, text: '< 1 GiB' },
      ),
    ];
  } finally {
    await engines.close();
    rmSync(dbFile, { force: true });
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
  }
}
