import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/devkit/src/paths';

/** CPU seconds (user + system), RSS now and peak RSS of a process, from /proc (Linux). */
export function procStats(pid: number): { cpuS: number; rssMb: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { cpuS: ticks / 100, rssMb: kb('VmRSS'), peakRssMb: kb('VmHWM') };
}

/** CPU seconds each process spent between two readings, and its peak RSS so far. */
export function usageSince(
  before: Map<string, { cpuS: number }>,
  procs: Map<string, ChildProcess>,
): { name: string; cpuS: number; peakRssMb: number }[] {
  return [...procs].map(([name, p]) => {
    const now = procStats(p.pid!);
    return { name, cpuS: now.cpuS - (before.get(name)?.cpuS ?? 0), peakRssMb: now.peakRssMb };
  });
}

export const readings = (procs: Map<string, ChildProcess>) =>
  new Map([...procs].map(([name, p]) => [name, procStats(p.pid!)]));

/** A service as deployed: `apps/<name>/src/main.ts` in its own process; resolves once it says it started. */
export function spawnApp(
  name: 'registry' | 'monitoring' | 'notifications' | 'worker',
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '-r', join(ROOT, 'tools/devkit/register.js'), join(ROOT, `apps/${name}/src/main.ts`)],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(`${name} 已启动`)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it started`)));
  });
}

/** The production workflow worker (apps/worker) in its own process, on the given bundle; resolves once it polls. */
export const spawnWorker = (env: NodeJS.ProcessEnv, nodeArgs: string[] = []) => spawnApp('worker', env, nodeArgs);

/** SIGTERM, then waits for the process to end (its shutdown hooks, and profiles when asked for). */
export async function stopProcess(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const ended = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await ended;
  clearTimeout(timer);
}

/** Node flags for a measured process under `--profile`: a CPU profile per thread in .data/prof/<name>/ when it exits. */
export const profileArgs = (args: string[], name: string): string[] =>
  args.includes('--profile')
    ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, '.data', 'prof', name)}`, '-r', join(ROOT, 'bench/exit-on-signal.js')]
    : [];
