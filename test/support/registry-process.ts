import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, isPortOpen, waitFor } from '../../tools/devkit/src/engines/net';
import { testEngines } from './engines';

const ROOT = join(__dirname, '..', '..');

export interface RegistryProcess {
  baseUrl: string;
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** The registry as production runs it: its own process, `apps/registry/src/main.ts`, on a free port. */
export async function startRegistryProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RegistryProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', './tools/devkit/register.js', 'apps/registry/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        NATS_URL: testEngines.natsUrl,
        TEMPORAL_ADDRESS: testEngines.temporalAddress,
        REGISTRY_PORT: String(port),
        REGISTRY_HOST: '127.0.0.1',
        AUTH_DEV_LOGIN: 'true',
        // Every answer is checked against its documented schema: a document that lies fails the test.
        API_RESPONSE_CHECK: 'strict',
        FOLLOW_UP_SWEEP_SECONDS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    'registry',
    async () => {
      if (child.exitCode !== null) throw new Error(`registry exited (${child.exitCode}): ${output}`);
      return isPortOpen('127.0.0.1', port);
    },
    60_000,
  );
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
