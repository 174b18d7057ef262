import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isPortOpen, waitFor } from '../../tools/devkit/src/engines/net';

const CONSOLE_DIR = join(__dirname, '..', '..', 'apps', 'console');

/**
 * The console's production build (`vite build`, done once by `npm test`) served by `vite preview`,
 * which proxies /api/<service> to the given services: the same paths nginx serves in docker-compose.yml.
 */
export async function startConsole(
  services: { registry: string; monitoring: string; notifications: string },
  port?: number,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!existsSync(join(CONSOLE_DIR, 'dist', 'index.html')))
    throw new Error('apps/console/dist 不存在: 由 npm test 先执行 vite build');
  port ??= await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(CONSOLE_DIR, '..', '..', 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort'],
    {
      cwd: CONSOLE_DIR,
      env: {
        ...process.env,
        CONSOLE_PORT: String(port),
        REGISTRY_URL: services.registry,
        MONITORING_URL: services.monitoring,
        NOTIFICATIONS_URL: services.notifications,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitFor('console', () => isPortOpen('127.0.0.1', port), 30_000);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
