import { basename, resolve } from 'node:path';
import { runSeed } from '../../../prisma/seed/seed';
import { HouseholdImporter } from '../../../apps/registry/src/imports/household-importer';
import { streamImportFile } from '../../../apps/registry/src/imports/import-parser';
import { backup, restore } from './backup';
import { migrateAll } from './migrate';
import { ROOT } from './paths';
import { registryContext } from './registry-context';
import { FollowUpCoverage } from '../../../apps/registry/src/follow-ups/follow-up-coverage';

const log = (line: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${line}\n`);

function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jingzhun';
}

export async function migrate(): Promise<void> {
  await migrateAll(ROOT, databaseUrl(), log);
}

/** `npm run backup [-- DIR]`: DATABASE_URL's service schemas (and TEMPORAL_DATABASE_URL's, when set) into DIR (default .data/backups/<time>). */
export async function backupCommand(args: string[]): Promise<void> {
  const dir = resolve(
    args.find((a) => !a.startsWith('--')) ?? `${ROOT}/.data/backups/${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  await backup(ROOT, databaseUrl(), dir, log, process.env.TEMPORAL_DATABASE_URL);
  log(`备份完成: ${dir}`);
}

/** `npm run restore -- DIR`: replaces DATABASE_URL's service schemas with the backup in DIR and checks the row counts. */
export async function restoreCommand(args: string[]): Promise<void> {
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) throw new Error('用法: npm run restore -- 备份目录 (含 manifest.json)');
  await restore(ROOT, databaseUrl(), resolve(dir), log, process.env.TEMPORAL_DATABASE_URL);
}

/** `npm run seed [-- --households N]` */
export async function seed(args: string[]): Promise<void> {
  const i = args.indexOf('--households');
  const households = i >= 0 ? Number(args[i + 1]) : 20000;
  if (!Number.isInteger(households) || households < 1) throw new Error('--households 应为正整数');
  await migrateAll(ROOT, databaseUrl(), log);
  const app = await registryContext();
  try {
    const r = await runSeed(app, { households, log, progress: process.stdout.isTTY || process.env.CI !== 'true' });
    log(`完成: 新增 ${r.households} 户, 已存在跳过 ${r.skippedHouseholds} 户; 在册成员共 ${r.members} 名`);
  } finally {
    await app.close();
  }
}

/** `npm run import -- FILE.csv|FILE.xlsx`: the same path as POST /imports/households, streamed, with its progress every 3 s. */
export async function importFile(args: string[]): Promise<void> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('用法: npm run import -- 文件.csv 或 文件.xlsx');
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  log(`读取 ${path} (边读边校验边写入)`);
  const app = await registryContext();
  try {
    // Read, validated and written as it goes (#23): memory holds a piece of the file, never all of it.
    let read = 0;
    let written = 0;
    const t0 = performance.now();
    let shown = Date.now();
    const show = () => log(`  已读 ${read} 行, 已写入 ${written} 户`);
    async function* counted() {
      for await (const piece of streamImportFile(path)) {
        read += piece.length;
        yield piece;
      }
    }
    const report = await app.get(HouseholdImporter).run(counted(), {
      actor: { id: process.env.JZ_IMPORT_USER ?? 'admin', role: 'admin', regionCode: '000000000000' },
      fileName: basename(path),
      origin: 'import',
      onProgress: (p) => {
        written = p.processed;
        if (Date.now() - shown > 3000) {
          shown = Date.now();
          show();
        }
      },
    });
    show();
    log(
      `导入完成: 新增 ${report.households} 户, 已存在跳过 ${report.skippedHouseholds} 户; 正确 ${report.okRows} 行, 错误 ${report.errorRows} 行; 用时 ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
    for (const e of report.errors.slice(0, 20)) log(`  第 ${e.row} 行 [${e.column}] ${e.reason}`);
    if (report.errors.length > 20)
      log(`  … 另有 ${report.errors.length - 20} 处; 完整错误表: GET /imports/${report.importId}/errors.xlsx`);
  } finally {
    await app.close();
  }
}

/**
 * `npm run follow-ups`: where the follow-up coverage stands (households that need one, follow-ups
 * running) and one sweep now. The registry sweeps by itself; this is for an operator who wants to
 * see the figures or not wait for the next sweep.
 */
export async function followUps(): Promise<void> {
  const app = await registryContext();
  try {
    const coverage = app.get(FollowUpCoverage);
    const before = await coverage.status();
    log(
      `需回访 ${before.needed} 户 (过渡期内已脱贫 ${before.exited}, 监测对象 ${before.monitored}), 在办回访 ${before.live}`,
    );
    const r = await coverage.sweep();
    const after = await coverage.status();
    log(
      `本次: 新启动 ${r.started}, 结束 ${r.ended}, 失败 ${r.failed}; 在办回访 ${after.live} / 需回访 ${after.needed}`,
    );
    if (r.failed > 0) process.exitCode = 1;
  } finally {
    await app.close();
  }
}
