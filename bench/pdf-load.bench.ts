import { Client } from 'pg';
import { registryContext } from '../tools/devkit/src/registry-context';
import { runSeed } from '../prisma/seed/seed';
import { benchEngines } from './bench-engines';
import { consoleSession, spawnRegistry } from './console-fixture';
import { procStats } from './proc-stats';
import { row, type BenchRow } from './table';

const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const VILLAGE = '411599001001';
const COUNTY = '411599000000';

/** Probes /health/live every 50 ms until `until` resolves; answers each probe's latency. */
async function probeWhile(url: string, until: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const t = performance.now();
    await fetch(`${url}/health/live`).then((r) => r.arrayBuffer());
    times.push(performance.now() - t);
    await sleep(50);
  }
  return times;
}

/**
 * `npm run bench:pdf-load [-- --households N --parallel P]`: the registry as deployed (its own process,
 * PDF_THREADS=2) while P county officers each print a 300-household village's comparison sheets at
 * once (#22: PDFs used to render on the event loop; ten 46-household sheets pushed /health/live to 2.4 s).
 * Baseline: /health/live of the same process, idle, in the same run. Bar: p95 ≤ 200 ms under the load.
 */
export async function benchPdfLoad(args: string[]): Promise<BenchRow[]> {
  const arg = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const households = arg('--households', 2000);
  const parallel = arg('--parallel', 10);
  const engines = await benchEngines({ temporal: true });
  try {
    out(`演示县 ${households} 户, 一个村 300 户入户核查任务…`);
    const app = await registryContext({
      ...process.env,
      DATABASE_URL: engines.url,
      NATS_URL: engines.natsUrl,
      TEMPORAL_ADDRESS: engines.temporalUrl,
    });
    await runSeed(app, { households, log: () => undefined, progress: false });
    await app.close();
    const pg = new Client({ connectionString: engines.url });
    await pg.connect();
    await pg.query('SET search_path TO registry');
    // One village of 300 households (the demo spreads them out), a campaign and its 300 verification tasks.
    await pg.query(
      `UPDATE household SET village_code = $1 WHERE id IN (SELECT id FROM household ORDER BY id LIMIT 300)`,
      [VILLAGE],
    );
    const campaign = (
      await pg.query<{ id: string }>(
        `INSERT INTO "case" (id, kind, workflow_id, region_code, township_code, county_code, year, reason, data, opened_by, step, updated_at)
         VALUES (gen_random_uuid(), 'annual_adjustment', 'bench/pdf-load', $1, $1, $1, 2027, '基准', '{}', 'bench', 'visits', now())
         RETURNING id`,
        [COUNTY],
      )
    ).rows[0].id;
    await pg.query(
      `INSERT INTO task (id, case_id, workflow_id, key, step, role, region_code, household_id, due_at)
       SELECT gen_random_uuid(), $1, 'bench/pdf-load', 'bench/pdf-load/' || id, 'campaign.verification', 'village', $2, id, now() + interval '30 days'
         FROM household WHERE village_code = $2`,
      [campaign, VILLAGE],
    );
    for (let i = 0; i < parallel; i++)
      await pg.query(`INSERT INTO "user" (id, name, role, region_code) VALUES ($1, $2, 'county', $3)`, [
        `bench-pdf-${i}`,
        `县级${i}`,
        COUNTY,
      ]);
    await pg.end();

    const { child, url } = await spawnRegistry(engines);
    try {
      const tokens = await Promise.all(
        Array.from({ length: parallel }, async (_, i) => JSON.parse(await consoleSession(url, `bench-pdf-${i}`)).token),
      );
      const sheet = (token: string) =>
        fetch(`${url}/campaigns/${campaign}/villages/${VILLAGE}/sheets`, {
          headers: { authorization: `Bearer ${token}` },
        }).then(async (r) => {
          if (r.status !== 200) throw new Error(`对照表 ${r.status}: ${await r.text()}`);
          return (await r.arrayBuffer()).byteLength;
        });
      out('预热: 一份对照表…');
      const warm = performance.now();
      const bytes = await sheet(tokens[0]);
      const oneMs = performance.now() - warm;
      out(`  一份 300 户对照表 ${(bytes / 1024).toFixed(0)} kB, ${(oneMs / 1000).toFixed(1)} s`);

      out('空闲时 /health/live (10 s)…');
      const idle = await probeWhile(url, sleep(10_000));
      const before = procStats(child.pid!);
      out(`${parallel} 名县级干部同时打印 300 户对照表…`);
      const t0 = performance.now();
      const load = Promise.all(tokens.map((t) => sheet(t)));
      const busy = await probeWhile(url, load);
      await load;
      const wallS = (performance.now() - t0) / 1000;
      const after = procStats(child.pid!);
      const idleP95 = pct(idle, 0.95);
      const busyP95 = pct(busy, 0.95);
      out(
        `  ${parallel} 份对照表 ${wallS.toFixed(1)} s; /health/live p95 ${busyP95.toFixed(0)} ms, 最长 ${Math.max(...busy).toFixed(0)} ms (${busy.length} 次探测); 空闲 p95 ${idleP95.toFixed(0)} ms`,
      );
      out(`  registry 进程: CPU ${(after.cpuS - before.cpuS).toFixed(1)} s, 峰值 RSS ${after.peakRssMb.toFixed(0)} MB`);
      return [
        row(
          `/health/live p95 while ${parallel} officers print a 300-household village's sheets (registry process: CPU ${(after.cpuS - before.cpuS).toFixed(0)} s, peak RSS ${after.peakRssMb.toFixed(0)} MB)`,
          `${busyP95.toFixed(0)} ms`,
          `${idleP95.toFixed(0)} ms idle`,
          busyP95 / 200,
          { atMost: 1, text: 'p95 ≤ 200 ms' },
        ),
      ];
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    await engines.close();
  }
}
