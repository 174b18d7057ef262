import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface AptBinary {
  /** Paths to look at, in order (an unset environment override is skipped). */
  paths: (string | undefined)[];
  /** A name to look up on PATH too. */
  command?: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** What it is for, and the variable that points at it: said when it is missing and we cannot install it. */
  purpose: string;
  envVar: string;
}

function findBinary(b: AptBinary): string | null {
  for (const p of b.paths) if (p && existsSync(p)) return p;
  if (!b.command) return null;
  try {
    return execFileSync('sh', ['-c', `command -v ${b.command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** A binary from a Debian package, installed with apt-get when missing and we are root; otherwise the run fails loudly. */
function ensureAptBinary(b: AptBinary, log: (line: string) => void): string {
  const have = findBinary(b);
  if (have) return have;
  if (process.getuid?.() !== 0)
    throw new Error(
      `${b.purpose}需要 ${b.aptPackage}: 请以 root 运行, 或先 apt-get install -y ${b.aptPackage}, 或设置 ${b.envVar}`,
    );
  log(`安装 ${b.aptPackage} (apt-get install -y ${b.aptPackage}), 用于${b.purpose}…`);
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', b.aptPackage],
  ]) {
    const r = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} 失败 (exit ${r.status}): 无法安装 ${b.aptPackage}`);
  }
  const installed = findBinary(b);
  if (!installed) throw new Error(`apt-get 安装后仍找不到 ${b.aptPackage}`);
  return installed;
}

/** Debian's chromium for the browser journeys (Playwright's own download cannot work here). */
export function ensureChromium(log: (line: string) => void): string {
  return ensureAptBinary(
    {
      paths: [process.env.JZ_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
      command: 'chromium',
      aptPackage: 'chromium',
      purpose: '浏览器测试',
      envVar: 'JZ_CHROMIUM',
    },
    log,
  );
}

/** Debian's docker-compose (1.29), to validate docker-compose.yml without a container engine (`docker-compose config`). */
export function ensureDockerCompose(log: (line: string) => void): string {
  return ensureAptBinary(
    {
      paths: [process.env.JZ_DOCKER_COMPOSE, '/usr/bin/docker-compose', '/usr/local/bin/docker-compose'],
      aptPackage: 'docker-compose',
      purpose: '部署文件检查',
      envVar: 'JZ_DOCKER_COMPOSE',
    },
    log,
  );
}
