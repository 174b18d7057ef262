import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deployMigrations } from '@jingzhun/platform';
import type { Log } from './engines/engine';

/** Every service schema with migrations under prisma/<schema>/migrations. */
export function serviceSchemas(root: string): string[] {
  return readdirSync(join(root, 'prisma'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'prisma', d.name, 'migrations')))
    .map((d) => d.name)
    .sort();
}

export async function migrateAll(root: string, databaseUrl: string, log: Log): Promise<void> {
  for (const schema of serviceSchemas(root)) {
    const r = await deployMigrations({
      databaseUrl,
      schema,
      migrationsDir: join(root, 'prisma', schema, 'migrations'),
      log,
    });
    log(`数据库结构 ${schema}: 新应用 ${r.applied.length} 个迁移, 已有 ${r.alreadyApplied.length} 个`);
  }
}
