import { Client, Connection } from '@temporalio/client';
import { NestFactory } from '@nestjs/core';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { TaskQueues } from '@jingzhun/contracts';
import { TemporalWorkerHost } from '@jingzhun/platform';
import { RegistryModule } from '../apps/registry/src/app.module';
import { FollowUpCoverage } from '../apps/registry/src/follow-ups/follow-up-coverage';
import { loadRegistryConfig } from '../apps/registry/src/registry.config';
import { DATA } from '../tools/devkit/src/paths';
import { seedBenchCounty } from './bench-county';
import { benchEngines } from './bench-engines';
import { row, type BenchRow } from './table';

const CACHE = 1000;

/**
 * `npm run bench:follow-ups [-- --households N]`: N exited households (default 100 000) get their
 * follow-up from the registry's coverage sweep (cases in batches, workflows started with their
 * first task delayed toward their first revisit), beside N bare workflow starts on the same
 * server; the worker's sticky cache is bounded to 1 000 workflows. Prints starts/s, the ratio, the
 * peak RSS of the bench process (registry activities + workflow worker) and the Temporal store per workflow.
 */
export async function benchFollowUps(args: string[]): Promise<BenchRow[]> {
  const n = args.includes('--households') ? Number(args[args.indexOf('--households') + 1]) : 100_000;
  const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
  const dbFile = join(DATA, 'bench', `temporal-follow-ups-${Date.now().toString(36)}.db`);
  const engines = await benchEngines({ temporal: true, temporalDbFile: dbFile });
  const { stops, url, bundle } = engines;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  try {
    const config = loadRegistryConfig({
      ...process.env,
      DATABASE_URL: url,
      NATS_URL: engines.natsUrl,
      TEMPORAL_ADDRESS: engines.temporalUrl,
      LOG_LEVEL: 'silent',
      DB_POOL_SIZE: '40',
    });
    const app = await NestFactory.createApplicationContext(RegistryModule.forRoot(config), { logger: false });
    await app.init();
    stops.push(() => app.close());
    const worker = new TemporalWorkerHost({
      address: engines.temporalUrl,
      namespace: 'default',
      taskQueue: TaskQueues.processes,
      workflowBundlePath: bundle,
      maxCachedWorkflows: CACHE,
    });
    worker.start();
    await worker.ready;
    stops.push(() => worker.stop());

    // N households that exited last year: inside their transition period, each owed a follow-up.
    const exitYear = String(new Date().getUTCFullYear() - 1);
    await seedBenchCounty(app, n, {
      status: 'EXITED',
      identifiedYear: '2016',
      exitYear,
      monitoringType: undefined,
      monitoredSince: undefined,
    });
    out(`数据: ${n} 户已脱贫户 (${exitYear} 年脱贫, 过渡期内)`);

    const t0 = performance.now();
    const progress = setInterval(() => {
      const p = sweepProgress();
      if (p) out(`  回访覆盖 已启动 ${p.started}/${n}`);
    }, 10_000);
    const coverage = app.get(FollowUpCoverage);
    const sweepProgress = () => (coverage as unknown as { last: { started: number } | null }).last;
    const backfill = await coverage.sweep().finally(() => clearInterval(progress));
    const backfillS = (performance.now() - t0) / 1000;
    if (backfill.started !== n || backfill.failed > 0)
      throw new Error(`覆盖结果不符: 新启动 ${backfill.started}, 失败 ${backfill.failed}`);

    const connection = await Connection.connect({ address: engines.temporalUrl });
    stops.push(() => connection.close());
    const client = new Client({ connection });
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

    const pool = new Pool({ connectionString: url, options: '-c search_path=registry' });
    stops.push(() => pool.end());
    const { rows: live } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "case" WHERE kind = 'follow_up' AND status = 'OPEN'`,
    );
    if (live[0].n !== n) throw new Error(`在办回访 ${live[0].n}, 应为 ${n}`);
    const storeBytes = existsSync(dbFile)
      ? statSync(dbFile).size + (existsSync(`${dbFile}-wal`) ? statSync(`${dbFile}-wal`).size : 0)
      : 0;
    const perWorkflow = storeBytes / (2 * n); // follow-ups and bare workflows share the store

    const startsPerS = n / backfillS;
    const barePerS = n / bareS;
    out('');
    out(
      `回访覆盖 (批量台账事务+审计+outbox+延迟启动工作流): ${n} 个, ${backfillS.toFixed(1)} s, ${startsPerS.toFixed(0)}/s`,
    );
    out(`基线 裸工作流启动:                          ${n} 个, ${bareS.toFixed(1)} s, ${barePerS.toFixed(0)}/s`);
    out(`吞吐比 覆盖 / 裸 = ${(startsPerS / barePerS).toFixed(2)}`);
    out(`进程峰值 RSS (台账活动 + 工作流 worker, sticky cache ${CACHE}): ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    out(
      `Temporal 存储 (SQLite): ${(storeBytes / 2 ** 20).toFixed(0)} MiB, 每个工作流约 ${(perWorkflow / 1024).toFixed(1)} KiB`,
    );
    return [
      row(
        `${n.toLocaleString('en')} follow-up starts by the coverage sweep vs bare workflow.start`,
        `${startsPerS.toFixed(0)}/s`,
        `${barePerS.toFixed(0)}/s`,
        startsPerS / barePerS,
        { atLeast: 0.7 },
      ),
      row(
        `worker peak RSS with ${n.toLocaleString('en')} live follow-ups (sticky cache ${CACHE})`,
        `${(peakRss / 2 ** 20).toFixed(0)} MiB`,
        '1024 MiB',
        peakRss / 2 ** 30,
        { atMost: 1, text: '< 1 GiB' },
      ),
    ];
  } finally {
    clearInterval(sampler);
    await engines.close();
    rmSync(dbFile, { force: true });
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
  }
}
