import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Applies migrations kept in Prisma's own layout (`<dir>/<timestamp>_<name>/migration.sql`) and
 * records them in `_prisma_migrations` exactly as `prisma migrate deploy` does, so either tool can
 * take over from the other: same table, same advisory lock, same sha256 checksum of the file,
 * a failed migration left with `finished_at` null and its error in `logs`.
 *
 * Why our own: Prisma 7's migrate commands need the native schema engine, which cannot be
 * downloaded on the offline machines this project is built on.
 *
 * One deliberate difference: each script runs inside a transaction, so a failure leaves the
 * schema as it was (PostgreSQL DDL is transactional). The failure is still recorded, and both
 * this runner and Prisma refuse to continue until it is resolved.
 */

/** The lock id Prisma Migrate takes (`SELECT pg_advisory_lock(72707369)`). */
export const PRISMA_MIGRATE_LOCK_ID = 72707369;

const MIGRATIONS_TABLE_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export interface DeployOptions {
  /** Connection string without the schema parameter. */
  databaseUrl: string;
  /** PostgreSQL schema owned by the service; `_prisma_migrations` lives in it. */
  schema: string;
  migrationsDir: string;
  log?: (line: string) => void;
}

export interface DeployResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'FAILED_MIGRATION_PRESENT' | 'CHECKSUM_MISMATCH' | 'MIGRATION_FAILED' | 'UNKNOWN_APPLIED',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

export function readLocalMigrations(dir: string): LocalMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe schema name: ${name}`);
  return `"${name}"`;
}

interface AppliedRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function deployMigrations(opts: DeployOptions): Promise<DeployResult> {
  const log = opts.log ?? (() => undefined);
  const local = readLocalMigrations(opts.migrationsDir);
  const client = new Client({ connectionString: opts.databaseUrl });
  await client.connect();
  const schema = quoteIdent(opts.schema);
  try {
    await client.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_ID})`);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await client.query(MIGRATIONS_TABLE_DDL);
      const { rows } = await client.query<AppliedRow>(
        `SELECT id, migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
      );
      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          'FAILED_MIGRATION_PRESENT',
          `migration ${failed.migration_name} failed earlier in schema ${opts.schema}; fix it and mark it rolled back before deploying again`,
        );
      }
      const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
      const localNames = new Set(local.map((m) => m.name));
      for (const name of applied.keys()) {
        if (!localNames.has(name)) {
          throw new MigrationError(
            'UNKNOWN_APPLIED',
            `migration ${name} is applied in ${opts.schema} but missing from ${opts.migrationsDir}`,
          );
        }
      }
      const result: DeployResult = { applied: [], alreadyApplied: [] };
      for (const m of local) {
        const row = applied.get(m.name);
        if (row) {
          if (row.checksum !== m.checksum) {
            throw new MigrationError('CHECKSUM_MISMATCH', `migration ${m.name} was modified after it was applied`);
          }
          result.alreadyApplied.push(m.name);
          continue;
        }
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const message = err instanceof Error ? err.message : String(err);
          await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
          throw new MigrationError('MIGRATION_FAILED', `migration ${m.name} failed: ${message}`);
        }
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        result.applied.push(m.name);
        log(`已应用迁移 ${opts.schema}/${m.name}`);
      }
      return result;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK_ID})`).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
