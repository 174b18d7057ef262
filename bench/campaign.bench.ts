import { NestFactory } from '@nestjs/core';
import { PG_POOL, type AuthUser } from '@jingzhun/platform';
import type { Pool } from 'pg';
import { CampaignStore } from '../apps/registry/src/campaigns/campaign.store';
import { CampaignsService } from '../apps/registry/src/campaigns/campaigns.service';
import { renderComparisonSheets } from '../apps/registry/src/campaigns/comparison-sheet';
import { ComparisonSheetsService } from '../apps/registry/src/campaigns/comparison-sheets.service';
import { RegistryModule } from '../apps/registry/src/app.module';
import { PrismaService } from '../apps/registry/src/prisma/prisma.service';
import { loadRegistryConfig } from '../apps/registry/src/registry.config';
import { runSeed } from '../prisma/seed/seed';
import { benchEngines } from './bench-engines';
import { spawnRegistry } from './console-fixture';
import { readings, spawnWorker, stopProcess, usageSince } from './proc-stats';
import { row, type BenchRow } from './table';

const CATEGORIES = [
  'high_incidence_villages',
  'no_recent_exit_villages',
  'exited_villages',
  'poor',
  'exited',
  'monitored',
  'marginal',
] as const;

/**
 * `npm run bench:campaign [-- --households N]`: 年度动态调整 over the demo county (N households, every
 * scope category): the dry run, the start through the API's service, the workflow opening every
 * verification task in village batches — beside one INSERT … SELECT of the same task rows in the
 * same run. Then the time to render the comparison sheets of a 300-household village.
 */
export async function benchCampaign(args: string[]): Promise<BenchRow[]> {
  const households = args.includes('--households') ? Number(args[args.indexOf('--households') + 1]) : 100_000;
  const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
  const engines = await benchEngines({ temporal: true });
  const { stops, bundle } = engines;
  try {
    const env = {
      ...process.env,
      DATABASE_URL: engines.url,
      NATS_URL: engines.natsUrl,
      TEMPORAL_ADDRESS: engines.temporalUrl,
      LOG_LEVEL: 'silent' as const,
    };
    // Data through the registry's services in this process, and the baseline on its store; the
    // measured dry run, start and workflow then run as deployed: the registry (its API) and the
    // workflow worker in processes of their own, driven over HTTP by a county officer.
    const registry = await NestFactory.createApplicationContext(
      RegistryModule.forRoot(loadRegistryConfig({ ...env, OUTBOX_POLL_MS: '60000' }), { worker: false }),
      { logger: false },
    );
    await registry.init();
    stops.push(() => registry.close());
    out(`生成 ${households} 户演示数据…`);
    await runSeed(registry, { households, log: out, progress: process.stdout.isTTY });

    const pool = registry.get<Pool>(PG_POOL);
    const countyCode = (
      await pool.query<{ code: string }>(`SELECT min(code) AS code FROM region WHERE level = 'COUNTY'`)
    ).rows[0].code;
    const county: AuthUser = { id: 'bench-county', name: '县级', role: 'county', regionCode: countyCode };
    const year = new Date().getUTCFullYear() + 1;
    const input = { countyCode, year, categories: [...CATEGORIES] };
    const campaigns = registry.get(CampaignsService);

    // Baseline: the same task rows in one INSERT … SELECT (the store's statement over every village at once), then removed.
    const preview = await campaigns.preview(county, input);
    const prisma = registry.get(PrismaService);
    const store = registry.get(CampaignStore);
    const baselineCase = (
      await pool.query<{ id: string }>(
        `INSERT INTO "case" (id, kind, workflow_id, region_code, township_code, county_code, year, reason, data, opened_by, updated_at) VALUES (gen_random_uuid(), 'bench', 'bench-baseline', $1, $1, $1, $2, 'bench', '{}', 'bench', now()) RETURNING id`,
        [countyCode, year],
      )
    ).rows[0].id;
    const rule = {
      countyCode,
      year,
      categories: [...CATEGORIES],
      marginalLine: preview.marginalLine,
      transitionUntil: '2030-12-31',
    };
    const t0 = performance.now();
    const base = await prisma.$transaction(
      (tx) =>
        store.openVerifications(tx, rule, {
          caseId: baselineCase,
          workflowId: 'bench-baseline',
          villages: preview.villages.map((v) => v.code),
          dueAt: new Date(Date.UTC(year, 9, 31, 16)).toISOString(),
        }),
      { timeout: 600_000 },
    );
    const baseMs = performance.now() - t0;
    await pool.query(`DELETE FROM task WHERE case_id = $1`, [baselineCase]);
    await pool.query(`DELETE FROM "case" WHERE id = $1`, [baselineCase]);
    await pool.query('VACUUM ANALYZE task');

    const api = await spawnRegistry(engines, { OUTBOX_POLL_MS: '60000', FOLLOW_UP_SWEEP_SECONDS: '0' });
    stops.push(() => stopProcess(api.child));
    const worker = await spawnWorker({ ...env, WORKFLOW_BUNDLE: bundle });
    stops.push(() => stopProcess(worker));
    const procs = new Map([
      ['registry', api.child],
      ['worker', worker],
    ]);
    const login = (await (
      await fetch(`${api.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: `county-${countyCode.slice(0, 6)}` }),
      })
    ).json()) as { accessToken: string };
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const r = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` },
        body: JSON.stringify(body),
      });
      const json = (await r.json()) as T;
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };

    // Ours: the dry run, the start, and the workflow's batches until every task is open.
    const before = readings(procs);
    const t1 = performance.now();
    const again = await post<{ households: number; villages: unknown[] }>('/campaigns/preview', input);
    const previewMs = performance.now() - t1;
    const started = await post<{ id: string }>('/campaigns', { ...input, confirmHouseholds: again.households });
    const startMs = performance.now() - t1 - previewMs;
    for (let shown = 0; ; ) {
      const n = Number(
        (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM task WHERE case_id = $1`, [started.id])).rows[0].n,
      );
      if (n >= again.households) break;
      if (n - shown >= 20_000) {
        shown = n;
        out(`  已开出核查任务 ${n}/${again.households}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const oursMs = performance.now() - t1;
    const usage = usageSince(before, procs)
      .map((p) => `${p.name} ${p.cpuS.toFixed(2)} s CPU, peak ${p.peakRssMb.toFixed(0)} MB`)
      .join('; ');
    if (base.inScope !== again.households)
      throw new Error(`范围不一致: 基线 ${base.inScope} 户, 预览 ${again.households} 户`);

    // A 300-household village's comparison sheets, as one PDF.
    const { rows: village } = await pool.query<{ household_id: string }>(
      `
      SELECT household_id FROM task WHERE case_id = $1 AND region_code = (SELECT region_code FROM task WHERE case_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) LIMIT 300`,
      [started.id],
    );
    const t2 = performance.now();
    const sheets = await registry.get(ComparisonSheetsService).sheets(village.map((v) => v.household_id));
    const pdf = await renderComparisonSheets('年度动态调整入户核查对照表', sheets);
    const pdfMs = performance.now() - t2;

    out('');
    out(`范围  ${again.households} 户 (全部 7 类), ${again.villages.length} 个村`);
    out(`基线  一条 INSERT … SELECT 写入全部核查任务:      ${(baseMs / 1000).toFixed(2)} s`);
    out(`实际  预览 + 发起 + 工作流分批开出全部核查任务: ${(oursMs / 1000).toFixed(2)} s`);
    out(`比值  年度动态调整 / INSERT … SELECT = ${(oursMs / baseMs).toFixed(2)}x   (目标 ≤ 2x)`);
    out(`进程  ${usage}`);
    out(
      `分解  预览 ${(previewMs / 1000).toFixed(2)} s, 发起 ${(startMs / 1000).toFixed(2)} s, 开出任务 ${((oursMs - previewMs - startMs) / 1000).toFixed(2)} s`,
    );
    out(
      `对照表  ${sheets.length} 户一村批量 PDF: ${(pdfMs / 1000).toFixed(2)} s, ${(pdf.length / 2 ** 20).toFixed(1)} MiB`,
    );
    return [
      row(
        `campaign over ${again.households.toLocaleString('en')} households (scope, start, tasks) vs one INSERT … SELECT (${usage})`,
        `${(oursMs / 1000).toFixed(2)} s`,
        `${(baseMs / 1000).toFixed(2)} s`,
        oursMs / baseMs,
        { atMost: 2 },
      ),
    ];
  } finally {
    await engines.close();
  }
}
