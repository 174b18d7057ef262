import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from './engines/engine';
import { freePort } from './engines/net';
import { startNats } from './engines/nats';
import { dropDatabase, ensurePostgres } from './engines/postgres';
import { ensureTemporal } from './engines/temporal';
import { migrateAll, serviceSchemas } from './migrate';
import { buildWorkflowBundle } from '../../../apps/worker/src/workflow-bundle';
import { ensureChromium, ensureDockerCompose } from './chromium';
import { generateClient } from './openapi/client';
import { DATA, ROOT, requiredEnv } from './paths';

const log = (line: string) => process.stdout.write(`\x1b[36m[精准 test]\x1b[0m ${line}\n`);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * `npm test`: the whole suite against real engines, on databases and ports of its own so it
 * can run beside `npm run dev`. Order: format and lint → typecheck → schema/migration drift → engines → jest.
 */
/** The fault-injection file, run in a phase of its own. */
const FAULTS = 'test/e2e/faults\\.e2e\\.ts';

export async function testRun(jestArgs: string[]): Promise<void> {
  const stamp = `${Date.now().toString(36)}_${process.pid}`;
  const engines: Engine[] = [];
  let templateDb: string | null = null;
  let pgServer = '';
  const cleanup = async () => {
    for (const e of engines.reverse()) if (e.stop) await e.stop().catch(() => undefined);
    if (templateDb && pgServer) await dropDatabase(pgServer, templateDb).catch(() => undefined);
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    log('格式与代码规范检查 (biome ci: 全部源码, 行宽 120)…');
    if (
      (await run(process.execPath, [
        join(ROOT, 'node_modules/@biomejs/biome/bin/biome'),
        'ci',
        '--colors=off',
        '.',
      ])) !== 0
    ) {
      throw new Error('格式或代码规范检查未通过: 运行 npx biome check --write 修正格式, 再按提示改代码');
    }
    log('类型检查 (tsc --noEmit: 服务与控制台)…');
    if (
      (await run(process.execPath, [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.json',
        '--noEmit',
      ])) !== 0
    ) {
      throw new Error('类型检查失败');
    }
    if (
      (await run(process.execPath, [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        'apps/console/tsconfig.json',
      ])) !== 0
    ) {
      throw new Error('控制台类型检查失败');
    }
    log('检查控制台的 API 客户端与 OpenAPI 文档一致…');
    await generateClient(['--check'], log);
    const chromium = ensureChromium(log);
    const dockerCompose = ensureDockerCompose(log);
    log('构建控制台 (vite build)…');
    if (
      (await run(
        process.execPath,
        [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
        { ...process.env, NODE_ENV: 'production' },
        join(ROOT, 'apps/console'),
      )) !== 0
    ) {
      throw new Error('控制台构建失败');
    }

    const pg = await ensurePostgres({
      url: process.env.JZ_TEST_PG_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
      database: `jz_test_${stamp}`,
      dataDir: join(DATA, 'test-postgres'),
      embeddedPort: Number(process.env.JZ_TEST_EMBEDDED_PG_PORT ?? 54330),
      log,
    });
    engines.push(pg);
    templateDb = `jz_test_${stamp}`;
    pgServer = pg.url;

    log('检查迁移与 schema.prisma 一致 (Prisma 6 wasm 引擎)…');
    for (const schema of serviceSchemas(ROOT)) {
      const code = await run('bash', [join(ROOT, 'prisma/migration-sql.sh'), schema, '--check'], {
        ...process.env,
        DATABASE_URL: pg.url,
      });
      if (code === 2)
        throw new Error(
          `prisma/${schema}: schema.prisma 与迁移不一致 (上面是缺少的 SQL); 请用 bash prisma/migration-sql.sh ${schema} 生成新迁移`,
        );
      if (code !== 0) throw new Error(`prisma/${schema}: 迁移检查无法运行 (exit ${code})`);
    }

    await migrateAll(ROOT, pg.url, log);

    const natsDir = join(DATA, 'test', `nats-${stamp}`);
    mkdirSync(natsDir, { recursive: true });
    const nats = await startNats({ bin: requiredEnv('JZ_NATS_BIN'), dataDir: natsDir, port: await freePort(), log });
    engines.push({
      ...nats,
      stop: async () => {
        await nats.stop?.();
        rmSync(natsDir, { recursive: true, force: true });
      },
    });

    log('启动测试用 Temporal dev server (内存)…');
    const temporalPort = await freePort();
    const temporal = await ensureTemporal({
      address: `127.0.0.1:${temporalPort}`,
      namespace: 'default',
      bin: requiredEnv('JZ_TEMPORAL_BIN'),
      dbFile: null,
      port: temporalPort,
      uiPort: null,
      log,
      reuse: false,
    });
    engines.push(temporal);

    log('打包工作流代码 (每次测试运行一次)…');
    const bundle = await buildWorkflowBundle(join(DATA, 'test', `workflow-bundle-${stamp}.js`));

    const env = {
      ...process.env,
      JZ_WORKFLOW_BUNDLE: bundle,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      JZ_TEST_TEMPLATE_DATABASE_URL: pg.url,
      JZ_TEST_NATS_URL: nats.url,
      JZ_TEST_TEMPORAL_ADDRESS: temporal.url,
      JZ_CHROMIUM: chromium,
      JZ_DOCKER_COMPOSE: dockerCompose,
    };
    const jest = join(ROOT, 'node_modules/jest/bin/jest.js');
    if (jestArgs.length > 0) {
      log(`运行 jest ${jestArgs.join(' ')}…`);
      process.exitCode = await run(process.execPath, [jest, '--maxWorkers=2', ...jestArgs], env);
      return;
    }
    // Two phases on 2 cores: the time-skipping workflow tests do not share the machine with the
    // HTTP suites (a starved test server drops the client's keepalive pings and stalls calls).
    log('运行 jest: unit + workflows…');
    const first = await run(process.execPath, [jest, '--maxWorkers=2', '--selectProjects', 'unit', 'workflows'], env);
    log('运行 jest: medium + e2e…');
    const second = await run(
      process.execPath,
      [jest, '--maxWorkers=2', '--selectProjects', 'medium', 'e2e', '--testPathIgnorePatterns', FAULTS],
      env,
    );
    // The fault injection on its own: it SIGKILLs and restarts whole engines, and beside it the HTTP
    // suites' latency bars (follow-up sweep ≤ 2 s, /health/live ≤ 200 ms) measured its load, not theirs.
    log('运行 jest: faults (各部件反复崩溃)…');
    const faults = await run(
      process.execPath,
      [jest, '--maxWorkers=1', '--selectProjects', 'e2e', '--testPathPatterns', FAULTS],
      env,
    );
    // The images on their own: their npm ci installs would slow the HTTP suites' latency bars.
    log('运行 jest: images (npm ci, 编译产物启动)…');
    const images = await run(process.execPath, [jest, '--maxWorkers=1', '--selectProjects', 'images'], env);
    // One browser file at a time: each runs the whole stack and a Chromium on the 2 cores.
    log('运行 jest: browser (Chromium, 截图在 test-results/screenshots)…');
    const third = await run(process.execPath, [jest, '--maxWorkers=1', '--selectProjects', 'browser'], env);
    process.exitCode = first || second || faults || images || third;
  } finally {
    await cleanup();
  }
}
