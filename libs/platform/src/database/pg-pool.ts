import { Pool } from 'pg';

/** One pool per service: Prisma's adapter and raw SQL (COPY, outbox relay) share it. */
export function createServicePool(databaseUrl: string, schema: string, max = 10): Pool {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return new Pool({
    connectionString: url.toString(),
    max,
    options: `-c search_path="${schema}"`,
    application_name: `jingzhun-${schema}`,
  });
}
