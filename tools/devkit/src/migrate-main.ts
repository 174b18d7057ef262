import { migrateAll } from './migrate';
import { ROOT } from './paths';

/**
 * The image's migration job (`node tools/devkit/src/migrate-main.js`): applies prisma/<schema>/migrations
 * of every service schema to DATABASE_URL, then exits. The same runner as `npm run migrate`.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL 未设置');
  await migrateAll(ROOT, url, (line) => process.stdout.write(`[精准] ${line}\n`));
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[精准] 迁移失败: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
