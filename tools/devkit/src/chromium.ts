import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian's chromium for the browser journeys (Playwright's own download cannot work here).
 * Installed with apt-get when missing and we are root; otherwise the run fails loudly.
 */
export function ensureChromium(log: (line: string) => void): string {
  const found = () => {
    if (process.env.JZ_CHROMIUM && existsSync(process.env.JZ_CHROMIUM)) return process.env.JZ_CHROMIUM;
    for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
    try {
      return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  };
  const have = found();
  if (have) return have;
  if (process.getuid?.() !== 0) throw new Error('浏览器测试需要 Chromium: 请以 root 运行, 或先 apt-get install -y chromium, 或设置 JZ_CHROMIUM');
  log('安装 Chromium (apt-get install -y chromium)…');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} 失败 (exit ${r.status}): 无法安装 Chromium`);
  }
  const installed = found();
  if (!installed) throw new Error('apt-get 安装后仍找不到 chromium');
  return installed;
}

/**
 * Debian's docker-compose (1.29), to validate docker-compose.yml without a container engine
 * (`docker-compose config`). Installed with apt-get when missing and we are root; otherwise the run fails loudly.
 */
export function ensureDockerCompose(log: (line: string) => void): string {
  const found = () => {
    for (const p of [process.env.JZ_DOCKER_COMPOSE, '/usr/bin/docker-compose', '/usr/local/bin/docker-compose']) if (p && existsSync(p)) return p;
    return null;
  };
  const have = found();
  if (have) return have;
  if (process.getuid?.() !== 0) throw new Error('部署文件检查需要 docker-compose: 请以 root 运行, 或先 apt-get install -y docker-compose, 或设置 JZ_DOCKER_COMPOSE');
  log('安装 docker-compose (apt-get install -y docker-compose), 用于检查 docker-compose.yml…');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'docker-compose']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} 失败 (exit ${r.status}): 无法安装 docker-compose`);
  }
  const installed = found();
  if (!installed) throw new Error('apt-get 安装后仍找不到 docker-compose');
  return installed;
}
