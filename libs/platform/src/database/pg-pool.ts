import { Pool } from 'pg';

/** One pool per service: Prisma's adapter and raw SQL (COPY, outbox relay) share it. */
export function createServicePool(databaseUrl: string, schema: string, max = 10): Pool {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  const pool = new Pool({
    connectionString: url.toString(),
    max,
    options: `-c search_path="${schema}"`,
    application_name: `jingzhun-${schema}`,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the service:
  // the pool discards it and the next query opens a new one.
  pool.on('error', (err) => process.stderr.write(`[pg] idle connection lost: ${err.message}\n`));
  return pool;
}
