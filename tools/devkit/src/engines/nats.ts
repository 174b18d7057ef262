import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, Log } from './engine';
import { isPortOpen, waitFor } from './net';
import { spawnEngine } from './process';

/** Reuses NATS at `url` when it answers, else starts `nats-server -js` with its store under `dataDir`. */
export async function ensureNats(opts: { url: string; bin: string; dataDir: string; port: number; log: Log; reuse?: boolean }): Promise<Engine> {
  const u = new URL(opts.url.replace(/^nats:/, 'http:'));
  if (opts.reuse !== false && (await isPortOpen(u.hostname, Number(u.port || 4222)))) {
    return { name: 'NATS JetStream', url: opts.url, started: false };
  }
  return startNats({ ...opts, port: opts.port });
}

export async function startNats(opts: { bin: string; dataDir: string; port: number; log: Log }): Promise<Engine> {
  mkdirSync(opts.dataDir, { recursive: true });
  const proc = spawnEngine(opts.bin, ['-js', '-a', '127.0.0.1', '-p', String(opts.port), '-sd', opts.dataDir], join(opts.dataDir, 'nats.log'));
  await waitFor('nats-server', () => isPortOpen('127.0.0.1', opts.port), 15_000);
  return { name: 'NATS JetStream (本地启动)', url: `nats://127.0.0.1:${opts.port}`, started: true, stop: () => proc.stop() };
}
