import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { runSeed } from '../../../prisma/seed/seed';
import type { Engine } from './engines/engine';
import { isPortOpen, waitFor } from './engines/net';
import { ensureNats, natsDevCredentials } from './engines/nats';
import { ensurePostgres } from './engines/postgres';
import { ensureTemporal } from './engines/temporal';
import { migrateAll } from './migrate';
import { DATA, ROOT, requiredEnv } from './paths';
import { registryContext } from './registry-context';
import { ChannelStandIns } from './channel-standins';
import { devPorts, loginExample, serviceUrls } from './service-urls';

import { buildWorkflowBundle } from '../../../apps/worker/src/workflow-bundle';

const log = (line: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${line}\n`);

interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  portVar: string;
}

/**
 * `npm run dev`: finds or starts every engine, migrates, seeds an empty database, starts the
 * services, prints their URLs, and on Ctrl-C stops what it started and nothing else.
 */
export async function dev(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const engines: Engine[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('正在停止…');
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 8000).unref();
          }),
      ),
    );
    for (const e of engines.reverse())
      if (e.stop) await e.stop().catch((err) => log(`${e.name} 停止失败: ${(err as Error).message}`));
    log('已停止由本命令启动的全部进程');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const pg = await ensurePostgres({
      url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jingzhun',
      database: process.env.DATABASE_URL
        ? new URL(process.env.DATABASE_URL).pathname.slice(1) || 'jingzhun'
        : 'jingzhun',
      dataDir: join(DATA, 'postgres'),
      embeddedPort: Number(process.env.JZ_EMBEDDED_PG_PORT ?? 54329),
      log,
    });
    engines.push(pg);
    const nats = await ensureNats({
      url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      bin: requiredEnv('JZ_NATS_BIN'),
      dataDir: join(DATA, 'nats'),
      port: 4222,
      log,
      auth: true,
    });
    engines.push(nats);
    const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
    const temporal = await ensureTemporal({
      address: temporalAddress,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      bin: requiredEnv('JZ_TEMPORAL_BIN'),
      dbFile: join(DATA, 'temporal', 'temporal.db'),
      port: Number(temporalAddress.split(':')[1] ?? 7233),
      uiPort: Number(process.env.TEMPORAL_UI_PORT || 8233),
      log,
    });
    engines.push(temporal);

    // Dev login is on only because it is set here (unset means off everywhere else); a working day's session.
    // Every process gets every service's URL from the ports used (monitoring and the notifications call the registry).
    const ports = devPorts(process.env);
    const env = {
      AUTH_DEV_LOGIN: 'true',
      JWT_TTL_SECONDS: '28800',
      API_RESPONSE_CHECK: 'log',
      ...process.env,
      ...serviceUrls(process.env),
      DATABASE_URL: pg.url,
      NATS_URL: nats.url,
      TEMPORAL_ADDRESS: temporal.url,
    };
    await migrateAll(ROOT, pg.url, log);

    if (await isEmpty(pg.url)) {
      const households = Number(process.env.JZ_SEED_HOUSEHOLDS ?? 20000);
      log(`数据库为空, 生成演示县 (${households} 户)…`);
      const app = await registryContext({ ...env, ...(nats.auth ? natsDevCredentials('registry') : {}) });
      try {
        const r = await runSeed(app, { households, log, progress: true });
        log(`演示数据就绪: ${r.households} 户, ${r.members} 名成员`);
      } finally {
        await app.close();
      }
    }

    log('打包工作流代码…');
    const bundle = await buildWorkflowBundle(join(DATA, 'workflow-bundle.js'));
    // SMS and e-mail go to local stand-ins unless real channels are configured.
    if (!process.env.SMS_GATEWAY_URL || !process.env.SMTP_URL) {
      const standIns = await new ChannelStandIns(process.env.SMS_GATEWAY_SECRET ?? 'jingzhun-dev-sms-secret', (line) =>
        log(line),
      ).start();
      Object.assign(env, {
        SMS_GATEWAY_URL: process.env.SMS_GATEWAY_URL ?? standIns.smsUrl,
        SMTP_URL: process.env.SMTP_URL ?? standIns.smtpUrl,
      });
      engines.push({
        name: 'SMS/SMTP 替身',
        url: `${standIns.smsUrl}  ${standIns.smtpUrl}`,
        started: true,
        stop: () => standIns.stop(),
      });
    }
    const services: ServiceSpec[] = [
      { name: 'registry', entry: 'apps/registry/src/main.ts', port: ports.registry, portVar: 'REGISTRY_PORT' },
      { name: 'monitoring', entry: 'apps/monitoring/src/main.ts', port: ports.monitoring, portVar: 'MONITORING_PORT' },
      {
        name: 'notifications',
        entry: 'apps/notifications/src/main.ts',
        port: ports.notifications,
        portVar: 'NOTIFICATIONS_PORT',
      },
      { name: 'worker', entry: 'apps/worker/src/main.ts', port: 0, portVar: 'WORKER_PORT' },
    ];
    for (const s of services) {
      const child = spawn(process.execPath, ['--enable-source-maps', '-r', './tools/devkit/register.js', s.entry], {
        cwd: ROOT,
        // A nats-server of our own requires each service's own credentials (deploy/nats/auth.conf).
        env: {
          ...env,
          ...(nats.auth && s.name !== 'worker' ? natsDevCredentials(s.name as 'registry') : {}),
          [s.portVar]: String(s.port),
          WORKFLOW_BUNDLE: bundle,
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('exit', (code) => {
        if (!stopping) {
          log(`${s.name} 意外退出 (code ${code})`);
          void stopAll(1);
        }
      });
      children.push(child);
    }
    for (const s of services) if (s.port) await waitFor(s.name, () => isPortOpen('127.0.0.1', s.port), 60_000);

    // The console: Vite's dev server, proxying /api/<service> to the services (one origin, no CORS).
    const consolePort = Number(process.env.CONSOLE_PORT ?? 5173);
    const consoleChild = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/vite/bin/vite.js'), '--clearScreen', 'false'],
      {
        cwd: join(ROOT, 'apps/console'),
        env: {
          ...env,
          CONSOLE_PORT: String(consolePort),
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    consoleChild.once('exit', (code) => {
      if (!stopping) {
        log(`console 意外退出 (code ${code})`);
        void stopAll(1);
      }
    });
    children.push(consoleChild);
    await waitFor('console', () => isPortOpen('127.0.0.1', consolePort), 60_000);

    const lines = [
      '',
      '精准 Jingzhun 开发环境已就绪 (Ctrl-C 停止):',
      `  ${'console'.padEnd(16)} http://127.0.0.1:${consolePort}    工作台 (开发登录: 选择演示用户)`,
      ...services.map((s) =>
        s.port
          ? `  ${s.name.padEnd(16)} http://127.0.0.1:${s.port}    API 文档 http://127.0.0.1:${s.port}/docs`
          : `  ${s.name.padEnd(16)} Temporal 任务队列 processes`,
      ),
      ...engines.flatMap((e) => [
        `  ${e.name.padEnd(16)} ${e.url.replace(/:\/\/[^@]*@/, '://')}`,
        ...Object.entries(e.extra ?? {}).map(([k, v]) => `  ${k.padEnd(16)} ${v}`),
      ]),
      `  登录示例: ${loginExample(process.env)}`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await new Promise(() => undefined);
  } catch (err) {
    log(`启动失败: ${(err as Error).message}`);
    await stopAll(1);
  }
}

async function isEmpty(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT count(*)::int AS n FROM registry.region`);
    return rows[0].n === 0;
  } finally {
    await c.end();
  }
}
