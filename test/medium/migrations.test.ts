import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { deployMigrations, MigrationError, PRISMA_MIGRATE_LOCK_ID } from '@jingzhun/platform';
import { freshDatabase } from '../support/database';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jz-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migration runner (Prisma-compatible)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: Client;
  beforeAll(async () => {
    db = await freshDatabase('migrations');
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('applies in name order, records rows as Prisma does, and is a no-op the second time', async () => {
    const first = 'CREATE TABLE "a" (id int PRIMARY KEY);\n';
    const dir = migrationsDir({
      '20240102000000_second': 'ALTER TABLE "a" ADD COLUMN b text;\n',
      '20240101000000_first': first,
    });
    const r1 = await deployMigrations({ databaseUrl: db.url, schema: 'm_order', migrationsDir: dir });
    expect(r1.applied).toEqual(['20240101000000_first', '20240102000000_second']);
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at, logs FROM m_order._prisma_migrations ORDER BY started_at`,
    );
    expect(rows[0].checksum).toBe(createHash('sha256').update(first).digest('hex'));
    expect(
      rows.every(
        (r) => r.finished_at !== null && r.applied_steps_count === 1 && r.rolled_back_at === null && r.logs === null,
      ),
    ).toBe(true);
    // The table has exactly Prisma's columns and types.
    const cols = await client.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'm_order' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(cols.rows.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'id:character varying',
      'checksum:character varying',
      'finished_at:timestamp with time zone',
      'migration_name:character varying',
      'logs:text',
      'rolled_back_at:timestamp with time zone',
      'started_at:timestamp with time zone',
      'applied_steps_count:integer',
    ]);
    const r2 = await deployMigrations({ databaseUrl: db.url, schema: 'm_order', migrationsDir: dir });
    expect(r2.applied).toEqual([]);
    expect(r2.alreadyApplied).toHaveLength(2);
  });

  it('records a failed migration, leaves the schema untouched, and refuses to go on until it is resolved', async () => {
    const dir = migrationsDir({
      '20240101000000_ok': 'CREATE TABLE "t" (id int);\n',
      '20240102000000_broken': 'CREATE TABLE "u" (id int);\nSELECT * FROM no_such_table;\n',
    });
    await expect(deployMigrations({ databaseUrl: db.url, schema: 'm_fail', migrationsDir: dir })).rejects.toMatchObject(
      { code: 'MIGRATION_FAILED' },
    );
    const { rows } = await client.query(
      `SELECT migration_name, finished_at, logs FROM m_fail._prisma_migrations WHERE migration_name LIKE '%broken'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].finished_at).toBeNull();
    expect(rows[0].logs).toMatch(/no_such_table/);
    const u = await client.query(`SELECT to_regclass('m_fail.u') AS t`);
    expect(u.rows[0].t).toBeNull();
    await expect(deployMigrations({ databaseUrl: db.url, schema: 'm_fail', migrationsDir: dir })).rejects.toMatchObject(
      { code: 'FAILED_MIGRATION_PRESENT' },
    );
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = migrationsDir({ '20240101000000_x': 'CREATE TABLE "x" (id int);\n' });
    await deployMigrations({ databaseUrl: db.url, schema: 'm_edit', migrationsDir: dir });
    writeFileSync(join(dir, '20240101000000_x', 'migration.sql'), 'CREATE TABLE "x" (id bigint);\n');
    const err = await deployMigrations({ databaseUrl: db.url, schema: 'm_edit', migrationsDir: dir }).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.code).toBe('CHECKSUM_MISMATCH');
  });

  it("waits for Prisma's advisory lock held by another migrator", async () => {
    const dir = migrationsDir({ '20240101000000_y': 'CREATE TABLE "y" (id int);\n' });
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_ID})`);
    let done = false;
    const running = deployMigrations({ databaseUrl: db.url, schema: 'm_lock', migrationsDir: dir }).then(
      () => (done = true),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(done).toBe(false);
    await holder.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK_ID})`);
    await running;
    expect(done).toBe(true);
    await holder.end();
  });

  it('the committed registry migrations are applied in the template (registry._prisma_migrations)', async () => {
    const { rows } = await client.query(
      `SELECT migration_name FROM registry._prisma_migrations WHERE finished_at IS NOT NULL`,
    );
    expect(rows.map((r) => r.migration_name)).toContain('20261129153000_init');
  });
});
