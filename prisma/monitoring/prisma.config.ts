// Prisma 7 configuration for the monitoring schema. The URL is only needed by migrate/introspect
// commands; `prisma generate` works without one. Our own runner (libs/platform/src/migrations)
// applies prisma/monitoring/migrations; `prisma migrate deploy` with this file is interchangeable.
import { defineConfig } from 'prisma/config';

const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jingzhun';
const url = new URL(base);
url.searchParams.set('schema', 'monitoring');

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: url.toString() },
});
