import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEPARTMENTS } from '@jingzhun/contracts';
import type { Engine, Log } from './engine';
import { isPortOpen, waitFor } from './net';
import { spawnEngine } from './process';

/** deploy/nats/dev.conf: JetStream and the users of deploy/nats/auth.conf (the same file docker-compose.yml uses). */
export const NATS_DEV_CONFIG = join(__dirname, '..', '..', '..', '..', 'deploy', 'nats', 'dev.conf');
const COUNTIES = ['411599', '522699'];

/** The passwords auth.conf reads from the environment, for a nats-server of our own (dev and tests only). */
export function natsDevPasswords(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of ['registry', 'monitoring', 'notifications'])
    env[`NATS_${s.toUpperCase()}_PASSWORD`] = `dev-nats-${s}`;
  for (const c of COUNTIES)
    for (const d of DEPARTMENTS) env[`NATS_DEPT_${d.toUpperCase()}_${c}_PASSWORD`] = `dev-nats-${d}-${c}`;
  return env;
}

/** The credentials a service connects with to a nats-server started with NATS_DEV_CONFIG. */
export function natsDevCredentials(service: 'registry' | 'monitoring' | 'notifications'): {
  NATS_USER: string;
  NATS_PASSWORD: string;
} {
  return { NATS_USER: service, NATS_PASSWORD: `dev-nats-${service}` };
}

/** Reuses NATS at `url` when it answers, else starts `nats-server -js` with its store under `dataDir`. */
export async function ensureNats(opts: {
  url: string;
  bin: string;
  dataDir: string;
  port: number;
  log: Log;
  reuse?: boolean;
  auth?: boolean;
}): Promise<Engine & { auth: boolean }> {
  const u = new URL(opts.url.replace(/^nats:/, 'http:'));
  if (opts.reuse !== false && (await isPortOpen(u.hostname, Number(u.port || 4222)))) {
    return { name: 'NATS JetStream', url: opts.url, started: false, auth: false };
  }
  return { ...(await startNats({ ...opts, port: opts.port })), auth: !!opts.auth };
}

/** `auth`: with deploy/nats/dev.conf (users and permissions, passwords from natsDevPasswords). */
export async function startNats(opts: {
  bin: string;
  dataDir: string;
  port: number;
  log: Log;
  auth?: boolean;
}): Promise<Engine> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    ...(opts.auth ? ['-c', NATS_DEV_CONFIG] : ['-js']),
    '-a',
    '127.0.0.1',
    '-p',
    String(opts.port),
    '-sd',
    opts.dataDir,
  ];
  const proc = spawnEngine(opts.bin, args, join(opts.dataDir, 'nats.log'), {
    ...process.env,
    ...(opts.auth ? natsDevPasswords() : {}),
  });
  await waitFor(
    'nats-server',
    async () => {
      if (proc.exited()) throw new Error(`nats-server exited: see ${join(opts.dataDir, 'nats.log')}`);
      return isPortOpen('127.0.0.1', opts.port);
    },
    15_000,
  );
  return {
    name: opts.auth ? 'NATS JetStream (本地启动, 按服务与部门鉴权)' : 'NATS JetStream (本地启动)',
    url: `nats://127.0.0.1:${opts.port}`,
    started: true,
    stop: () => proc.stop(),
    kill: () => proc.stop('SIGKILL'),
  };
}
