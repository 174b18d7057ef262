import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ModuleKind, type CompilerOptions } from 'typescript';
import { compile } from '@swc-node/register/register';
import { readDefaultTsConfig } from '@swc-node/register/read-default-tsconfig';
import { buildWorkflowBundle } from '../../../apps/worker/src/workflow-bundle';

const ROOT = resolve(__dirname, '..', '..', '..');

/** The server-side code of the image: every service's sources, the libraries, the workflows and the migration runner. */
const BUILD_SOURCES = [
  'libs/domain/src',
  'libs/contracts/src',
  'libs/platform/src',
  'apps/registry/src',
  'apps/monitoring/src',
  'apps/notifications/src',
  'apps/worker/src',
  'workflows',
  'tools/devkit/src/migrate-main.ts',
  'tools/devkit/src/migrate.ts',
  'tools/devkit/src/paths.ts',
  'tools/healthcheck.js',
];
/** Files the services read at run time, copied as they are. */
const BUILD_ASSETS = ['prisma/registry/migrations', 'prisma/monitoring/migrations', 'prisma/notify/migrations'];
const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

const isTest = (p: string) => /\.(spec|test)\.ts$/.test(p);

function sourceFiles(entry: string): string[] {
  const abs = join(ROOT, entry);
  if (statSync(abs).isFile()) return [entry];
  const out: string[] = [];
  for (const d of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (!d.isFile()) continue;
    const rel = relative(ROOT, join(d.parentPath, d.name));
    if ((rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !isTest(rel)) || rel.endsWith('.js')) out.push(rel);
  }
  return out.sort();
}

/** prisma/<schema>/prisma.config.ts of each service schema (not prisma/tools, the drift check's own Prisma 6). */
function prismaConfigs(): string[] {
  return readdirSync(join(ROOT, 'prisma'))
    .filter((d) => d !== 'tools')
    .map((d) => join('prisma', d, 'prisma.config.ts'))
    .filter((f) => existsSync(join(ROOT, f)));
}

/**
 * `npm run build [-- OUT]` (default dist/): the services as compiled JavaScript, laid out as in the
 * repository (apps/registry/src/main.js …), for the image's runtime stage. The transform is the
 * one dev and the tests run (swc through @swc-node, from tsconfig.json: decorators with metadata),
 * so what is shipped is what was tested; tsc checks the types in `npm test`. Also: the Prisma
 * clients, generated first; the workflows bundled once (Temporal's advice for production: workers
 * load the bundle, they do not run webpack at start); the migrations.
 */
export async function build(
  outArg = 'dist',
  opts: { generate?: boolean; log?: (line: string) => void } = {},
): Promise<{ out: string; files: number }> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`[精准] ${l}\n`));
  const started = Date.now();
  const out = resolve(ROOT, outArg);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // The Prisma clients (git-ignored): the image's build stage has none yet. The tests pass
  // generate: false, since `npm test` generated them and other files are reading them.
  for (const config of opts.generate === false ? [] : prismaConfigs()) {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--config', config],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      },
    );
    if (r.status !== 0) throw new Error(`prisma generate --config ${config} 失败: ${r.stderr || r.stdout}`);
  }

  const tsOptions = {
    ...(readDefaultTsConfig(join(ROOT, 'tsconfig.json')) as CompilerOptions),
    module: ModuleKind.CommonJS,
  };
  let files = 0;
  for (const entry of BUILD_SOURCES) {
    for (const rel of sourceFiles(entry)) {
      const target = join(out, rel.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      if (rel.endsWith('.js')) {
        cpSync(join(ROOT, rel), target);
      } else {
        const code = compile(readFileSync(join(ROOT, rel), 'utf8'), join(ROOT, rel), { ...tsOptions });
        writeFileSync(target, code);
      }
      files++;
    }
  }
  for (const asset of BUILD_ASSETS) cpSync(join(ROOT, asset), join(out, asset), { recursive: true });
  await buildWorkflowBundle(join(out, WORKFLOW_BUNDLE_FILE));
  log(
    `构建完成: ${files} 个文件编译到 ${relative(ROOT, out) || out}, 工作流已打包 (${WORKFLOW_BUNDLE_FILE}), 用时 ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { out, files };
}

if (require.main === module) {
  build(process.argv[2]).catch((err) => {
    process.stderr.write(`[精准] 构建失败: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
