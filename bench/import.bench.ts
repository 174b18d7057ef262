import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawn } from 'node:child_process';
import { HEADER_ROW, IMPORT_COLUMNS, type ImportColumn } from '../apps/registry/src/imports/import-columns';
import { procStats, profileArgs } from './proc-stats';
import { dropDatabase, ensureDatabase } from '../tools/devkit/src/engines/postgres';
import { migrateAll } from '../tools/devkit/src/migrate';
import { DATA, ROOT } from '../tools/devkit/src/paths';
import { registryContext } from '../tools/devkit/src/registry-context';
import { demoHouseholdRows, demoRegions, demoUsers } from '../prisma/seed/demo-county';
import { row, type BenchRow } from './table';

/**
 * `npm run bench:import [-- --households N]`: N households (about 3.5 N people) through the real
 * import path as deployed (`npm run import` in its own process, streamed: CSV read, validation, ID
 * vault, COPY into household/member/audit/outbox), beside a PostgreSQL COPY of the same rows into
 * plain tables, in the same run on the same server.
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

    // Regions and users first, through the registry's services in this process, then closed.
    const app = await registryContext({ ...process.env, DATABASE_URL: url, OUTBOX_POLL_MS: '60000' });
    try {
      const prisma = app.get((await import('../apps/registry/src/prisma/prisma.service')).PrismaService);
      await prisma.region.createMany({
        data: [{ code: '000000000000', name: '全国', level: 'PROVINCE' }, ...regions],
        skipDuplicates: true,
      });
      await prisma.user.createMany({ data: demoUsers(regions), skipDuplicates: true });
    } finally {
      await app.close();
    }

    // The real path as deployed: `npm run import -- FILE` in a process of its own (streamed: read,
    // validated, sealed and written a piece at a time); its peak RSS and CPU read from /proc.
    const child = spawn(
      process.execPath,
      [
        ...profileArgs(args, 'import'),
        // As `npm run import` runs it (tools/devkit/bin/bootstrap.sh): the streamed import under a heap cap.
        `--max-old-space-size=${process.env.JZ_IMPORT_HEAP_MB ?? 384}`,
        '-r',
        join(ROOT, 'tools/devkit/register.js'),
        join(ROOT, 'tools/devkit/src/cli.ts'),
        'import',
        file,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, OUTBOX_POLL_MS: '60000', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let said = '';
    child.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
    });
    // The highest readings: a process that has ended (a zombie until reaped) reads as zero.
    const last = { cpuS: 0, peakRssMb: 0 };
    const sampler = setInterval(() => {
      try {
        const now = procStats(child.pid!);
        last.cpuS = Math.max(last.cpuS, now.cpuS);
        last.peakRssMb = Math.max(last.peakRssMb, now.peakRssMb);
      } catch {
        // ended between two readings
      }
    }, 100);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearInterval(sampler);
    const done = /新增 (\d+) 户.*错误 (\d+) 行; 用时 ([\d.]+) s/.exec(said);
    if (code !== 0 || !done) throw new Error(`导入进程失败 (${code}): ${said.slice(-500)}`);
    if (Number(done[1]) !== households || Number(done[2]) > 0)
      throw new Error(`导入结果不符: ${done[1]} 户, ${done[2]} 行错误`);
    const importMs = Number(done[3]) * 1000;
    out('');
    out(`基线  COPY 到无索引普通表 (2 表, ${heads.length + rows.length} 行):  ${(copyMs / 1000).toFixed(2)} s`);
    out(
      `实际  npm run import (流式: 读取+校验+加密+COPY 户/成员/审计/outbox): ${(importMs / 1000).toFixed(2)} s, ${Math.round(households / (importMs / 1000))} 户/s`,
    );
    out(`比值  导入 / COPY = ${(importMs / copyMs).toFixed(2)}x   (目标 ≤ 2.5x)`);
    out(`导入进程  峰值 RSS ${last.peakRssMb.toFixed(0)} MB, CPU ${last.cpuS.toFixed(1)} s (含启动)`);
    return [
      row(
        `import of ${households.toLocaleString('en')} households (${rows.length.toLocaleString('en')} people) vs COPY of the same rows (import process CPU ${last.cpuS.toFixed(1)} s)`,
        `${(importMs / 1000).toFixed(2)} s`,
        `${(copyMs / 1000).toFixed(2)} s`,
        importMs / copyMs,
        { atMost: 2.5 },
      ),
      row('import process peak RSS (streaming)', `${last.peakRssMb.toFixed(0)} MB`, '500 MB', last.peakRssMb / 500, {
        atMost: 1,
        text: '≤ 500 MB',
      }),
    ];
  } finally {
    await dropDatabase(server, dbName).catch(() => undefined);
  }
}
