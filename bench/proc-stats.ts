import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/devkit/src/paths';

/** CPU seconds (user + system) and peak RSS of a process, from /proc (Linux). */
export function procStats(pid: number): { cpuS: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS: ticks / 100, peakRssMb: hwm ? Number(hwm[1]) / 1024 : 0 };
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

/** The production workflow worker (apps/worker) in its own process, on the given bundle; resolves once it polls. */
export function spawnWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT, 'tools/devkit/register.js'), join(ROOT, 'apps/worker/src/main.ts')],
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
      if (seen.includes('worker 已启动')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it started`)));
  });
}
