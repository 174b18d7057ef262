import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Log } from './engines/engine';
import { serviceSchemas } from './migrate';

const run = promisify(execFile);

export interface SchemaManifest {
  name: string;
  /** Migrations applied, in order (`_prisma_migrations`): what a restore needs the code to be at, or past. */
  migrations: string[];
  /** Rows per table, counted in the same snapshot as the dump. */
  rows: Record<string, number>;
}

export interface BackupManifest {
  format: 'jingzhun-backup/1';
  takenAt: string;
  /** Host, port and database name; never the password. */
  source: string;
  pgDump: string;
  file: string;
  schemas: SchemaManifest[];
  /** Temporal's own database, when the installation runs one (TEMPORAL_DATABASE_URL). */
  temporal: { file: string; source: string } | null;
}

const describe = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}`;
};
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tablesOf(c: Client, schema: string): Promise<string[]> {
  const { rows } = await c.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.t);
}

/** Row counts and applied migrations of each service schema, read on `c` (inside the caller's snapshot). */
export async function inventory(c: Client, root: string): Promise<SchemaManifest[]> {
  const out: SchemaManifest[] = [];
  for (const name of serviceSchemas(root)) {
    const rows: Record<string, number> = {};
    for (const t of await tablesOf(c, name))
      rows[t] = Number((await c.query(`SELECT count(*)::bigint AS n FROM ${quote(name)}.${quote(t)}`)).rows[0].n);
    const migrations =
      '_prisma_migrations' in rows
        ? (
            await c.query<{ m: string }>(
              `SELECT migration_name AS m FROM ${quote(name)}."_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
            )
          ).rows.map((r) => r.m)
        : [];
    out.push({ name, migrations, rows });
  }
  return out;
}

/**
 * `npm run backup`: one consistent `pg_dump` (custom format) of the three service schemas, taken
 * in an exported snapshot, so the manifest's row counts are exactly the dump's; Temporal's
 * database too when TEMPORAL_DATABASE_URL names it. Writes `manifest.json` beside the dump.
 */
export async function backup(
  root: string,
  databaseUrl: string,
  outDir: string,
  log: Log,
  temporalUrl?: string,
): Promise<BackupManifest> {
  mkdirSync(outDir, { recursive: true });
  const { stdout: version } = await run('pg_dump', ['--version']);
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const snapshot = (await c.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0].s;
    const schemas = await inventory(c, root);
    const file = 'services.dump';
    log(`pg_dump ${schemas.map((s) => s.name).join(', ')} → ${join(outDir, file)}`);
    await run(
      'pg_dump',
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--snapshot=${snapshot}`,
        ...schemas.flatMap((s) => ['--schema', s.name]),
        `--file=${join(outDir, file)}`,
        `--dbname=${databaseUrl}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    await c.query('COMMIT');
    let temporal: BackupManifest['temporal'] = null;
    if (temporalUrl) {
      log(`pg_dump Temporal ${describe(temporalUrl)} → ${join(outDir, 'temporal.dump')}`);
      await run(
        'pg_dump',
        [
          '--format=custom',
          '--no-owner',
          '--no-privileges',
          `--file=${join(outDir, 'temporal.dump')}`,
          `--dbname=${temporalUrl}`,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      temporal = { file: 'temporal.dump', source: describe(temporalUrl) };
    }
    const manifest: BackupManifest = {
      format: 'jingzhun-backup/1',
      takenAt: new Date().toISOString(),
      source: describe(databaseUrl),
      pgDump: version.trim(),
      file,
      schemas,
      temporal,
    };
    writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const s of schemas)
      log(
        `  ${s.name}: ${s.migrations.length} 个迁移, ${Object.values(s.rows).reduce((a, b) => a + b, 0)} 行 (${Object.keys(s.rows).length} 张表)`,
      );
    return manifest;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
}

/**
 * `npm run restore -- DIR`: replaces the service schemas of DATABASE_URL with the backup's (one
 * transaction: a failed restore leaves the database as it was), then checks every table's row
 * count against the manifest and fails naming any that differ.
 */
export async function restore(
  root: string,
  databaseUrl: string,
  dir: string,
  log: Log,
  temporalUrl?: string,
): Promise<BackupManifest> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 'jingzhun-backup/1')
    throw new Error(`${dir}: 不是精准的备份 (manifest.format = ${String(manifest.format)})`);
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    log(`pg_restore ${join(dir, manifest.file)} → ${describe(databaseUrl)}`);
    // --clean drops what the dump holds before recreating it, all in the one transaction.
    await run(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--clean',
        '--if-exists',
        '--single-transaction',
        '--exit-on-error',
        `--dbname=${databaseUrl}`,
        join(dir, manifest.file),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const now = await inventory(c, root);
    const differ: string[] = [];
    for (const s of manifest.schemas) {
      const got = now.find((n) => n.name === s.name);
      for (const [t, n] of Object.entries(s.rows))
        if (got?.rows[t] !== n) differ.push(`${s.name}.${t}: 备份 ${n} 行, 恢复后 ${got?.rows[t] ?? '无此表'}`);
    }
    if (differ.length) throw new Error(`恢复后行数与备份清单不符:\n${differ.join('\n')}`);
    if (manifest.temporal && temporalUrl) {
      log(`pg_restore Temporal → ${describe(temporalUrl)}`);
      await run(
        'pg_restore',
        [
          '--no-owner',
          '--no-privileges',
          '--clean',
          '--if-exists',
          '--single-transaction',
          '--exit-on-error',
          `--dbname=${temporalUrl}`,
          join(dir, manifest.temporal.file),
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
    }
    log(
      `恢复完成: 备份于 ${manifest.takenAt}; 行数与清单一致 (${manifest.schemas.map((s) => `${s.name} ${Object.values(s.rows).reduce((a, b) => a + b, 0)}`).join(', ')})`,
    );
    return manifest;
  } finally {
    await c.end();
  }
}
