/**
 * Prisma 6.19.3 with the wasm schema engine (`engine: 'js'`), used only to author and check
 * migration SQL for one service schema at a time:
 *   JZ_SCHEMA=registry npx prisma migrate diff --from-migrations ../registry/migrations \
 *     --to-schema-datamodel ../registry/schema.prisma --script
 * Two workarounds make it work against PostgreSQL through @prisma/adapter-pg:
 *  - columns of type "char" (OID 18) and name (OID 19), which introspection returns, are read
 *    as text (prisma/orm#27403: "Column type 'name' could not be deserialized");
 *  - Prisma 7 schemas carry no datasource url and Prisma 6 insists on one, so a copy of the
 *    service's schema with `url = env("DATABASE_URL")` is written under .data/ and used;
 *  - a shadow-database factory of our own: the adapter's default keeps the connection string's
 *    database (so it would migrate the real one) and drops the schema option.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type QueryResult } from 'pg';
import { defineConfig } from 'prisma/config';

const schema = process.env.JZ_SCHEMA ?? 'registry';
if (!/^[a-z_]+$/.test(schema)) throw new Error(`JZ_SCHEMA must be a plain schema name, got ${schema}`);
const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

function readNameAndCharAsText<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as QueryResult[]) {
    for (const f of r?.fields ?? []) if (f.dataTypeID === NAME_OID || f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
  }
  return result;
}

function patchQuery(target: { query: (...args: any[]) => any }): void {
  const original = target.query.bind(target);
  target.query = (...args: any[]) => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : readNameAndCharAsText(res));
      return original(...args);
    }
    const out = original(...args);
    return out && typeof out.then === 'function' ? out.then(readNameAndCharAsText) : out;
  };
}

function poolFor(database?: string): Pool {
  const url = new URL(base);
  if (database) url.pathname = `/${database}`;
  url.searchParams.delete('schema');
  const pool = new Pool({ connectionString: url.toString(), options: `-c search_path=${schema}`, max: 4 });
  patchQuery(pool);
  pool.on('connect', (client) => patchQuery(client));
  return pool;
}

class ServiceSchemaAdapterFactory extends PrismaPg {
  constructor() {
    super(poolFor(), { schema });
  }

  override async connectToShadowDb() {
    const admin = poolFor();
    const database = `jz_shadow_${randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const shadow = poolFor(database);
    await shadow.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const adapter = await new PrismaPg(shadow, { schema }).connect();
    adapter.dispose = async () => {
      await shadow.end();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    };
    return adapter;
  }
}

/** Prisma 6 wants a url in the datasource block; Prisma 7 refuses one. Diff a copy that has it. */
function schemaCopyWithUrl(): string {
  const source = readFileSync(join(__dirname, '..', schema, 'schema.prisma'), 'utf8');
  const withUrl = source.replace(/datasource\s+db\s*\{/, (m) => `${m}\n  url = env("DATABASE_URL")`);
  const dir = join(__dirname, '..', '..', '.data', 'prisma-tools');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${schema}.prisma`);
  writeFileSync(file, withUrl);
  return file;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: schemaCopyWithUrl(),
  migrations: { path: `../${schema}/migrations` },
  adapter: async () => new ServiceSchemaAdapterFactory(),
});
