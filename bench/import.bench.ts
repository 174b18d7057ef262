import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HouseholdImporter } from '../apps/registry/src/imports/household-importer';
import { HEADER_ROW, IMPORT_COLUMNS, type ImportColumn } from '../apps/registry/src/imports/import-columns';
import { parseImportFile } from '../apps/registry/src/imports/import-parser';
import { dropDatabase, ensureDatabase } from '../tools/devkit/src/engines/postgres';
import { migrateAll } from '../tools/devkit/src/migrate';
import { DATA, ROOT } from '../tools/devkit/src/paths';
import { registryContext } from '../tools/devkit/src/registry-context';
import { demoHouseholdRows, demoRegions, demoUsers } from '../prisma/seed/demo-county';
import { row, type BenchRow } from './table';

/**
 * `npm run bench:import [-- --households N]`: N households (about 3.5 N people) through the real
 * import path (CSV parse, validation, ID vault, COPY into household/member/audit/outbox), beside a
 * PostgreSQL COPY of the same rows into plain tables, in the same run on the same server.
 */
export async function benchImport(args: string[]): Promise<BenchRow[]> {
  const i = args.indexOf('--households');
  const households = i >= 0 ? Number(args[i + 1]) : 100_000;
  const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `jz_bench_${Date.now().toString(36)}`;
  const url = await ensureDatabase(server, dbName);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    await migrateAll(ROOT, url, () => undefined);
    const regions = demoRegions();
    const villages = regions.filter((r) => r.level === 'VILLAGE');
    const columns = Object.keys(IMPORT_COLUMNS) as ImportColumn[];
    const rows = [...demoHouseholdRows(villages, households)];
    const csvCell = (v: string | undefined) =>
      v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    const csv = `${[HEADER_ROW.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
    mkdirSync(join(DATA, 'bench'), { recursive: true });
    const file = join(DATA, 'bench', `households-${households}.csv`);
    writeFileSync(file, csv);
    out(`数据: ${households} 户, ${rows.length} 人, CSV ${(csv.length / 1e6).toFixed(1)} MB`);

    // Baseline: COPY of the same rows into plain tables (no indexes, no constraints, no checks).
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE TABLE bench_household (${columns.map((col) => `"${col}" text`).join(', ')})`);
    await c.query(`CREATE TABLE bench_member (${columns.map((col) => `"${col}" text`).join(', ')})`);
    const toText = (r: Record<string, string>) =>
      `${columns.map((col) => (r[col] ?? '\\N').replace(/\t/g, ' ')).join('\t')}\n`;
    const heads = rows.filter((r) => r.relation === 'HEAD');
    const t0 = process.hrtime.bigint();
    await pipeline(Readable.from([heads.map(toText).join('')]), c.query(copyFrom(`COPY bench_household FROM STDIN`)));
    await pipeline(Readable.from([rows.map(toText).join('')]), c.query(copyFrom(`COPY bench_member FROM STDIN`)));
    const copyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    await c.end();

    // The real path, as `npm run import` runs it.
    const app = await registryContext({ ...process.env, DATABASE_URL: url, OUTBOX_POLL_MS: '60000' });
    try {
      const prisma = app.get((await import('../apps/registry/src/prisma/prisma.service')).PrismaService);
      await prisma.region.createMany({
        data: [{ code: '000000000000', name: '全国', level: 'PROVINCE' }, ...regions],
        skipDuplicates: true,
      });
      await prisma.user.createMany({ data: demoUsers(regions), skipDuplicates: true });
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const t1 = process.hrtime.bigint();
      const parsed = await parseImportFile(file, readFileSync(file));
      const report = await app.get(HouseholdImporter).run(parsed, {
        actor: { id: 'bench', role: 'admin', regionCode: '000000000000' },
        fileName: 'bench.csv',
        origin: 'import',
      });
      const importMs = Number(process.hrtime.bigint() - t1) / 1e6;
      clearInterval(sampler);
      if (report.households !== households || report.errors.length > 0)
        throw new Error(`导入结果不符: ${report.households} 户, ${report.errors.length} 处错误`);
      out('');
      out(`基线  COPY 到无索引普通表 (2 表, ${heads.length + rows.length} 行):  ${(copyMs / 1000).toFixed(2)} s`);
      out(
        `实际  导入路径 (解析+校验+加密+COPY 户/成员/审计/outbox): ${(importMs / 1000).toFixed(2)} s, ${Math.round(households / (importMs / 1000))} 户/s`,
      );
      out(`比值  导入 / COPY = ${(importMs / copyMs).toFixed(2)}x   (目标 ≤ 3x)`);
      out(`内存  峰值 RSS ${(peakRss / 1e6).toFixed(0)} MB (导入前 ${(rssBefore / 1e6).toFixed(0)} MB)`);
      return [
        row(
          `import of ${households.toLocaleString('en')} households vs COPY of the same rows`,
          `${(importMs / 1000).toFixed(2)} s`,
          `${(copyMs / 1000).toFixed(2)} s`,
          importMs / copyMs,
          { atMost: 3 },
        ),
        row('import peak RSS', `${(peakRss / 1e6).toFixed(0)} MB`, '800 MB', peakRss / 800e6, {
          atMost: 1,
          text: '≤ 800 MB',
        }),
      ];
    } finally {
      await app.close();
    }
  } finally {
    await dropDatabase(server, dbName).catch(() => undefined);
  }
}
