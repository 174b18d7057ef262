import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, isPortOpen, waitFor } from '../tools/devkit/src/engines/net';
import { ROOT } from '../tools/devkit/src/paths';
import { registryContext } from '../tools/devkit/src/registry-context';
import { runSeed } from '../prisma/seed/seed';
import type { benchEngines } from './bench-engines';

type Engines = Awaited<ReturnType<typeof benchEngines>>;

/** A bench signs in through the dev login, as many times as it likes: no rate limit stands in the measurement. */
export const BENCH_LOGIN = {
  AUTH_DEV_LOGIN: 'true',
  JWT_TTL_SECONDS: '7200',
  RATE_WRITES_PER_USER: '1000000',
  RATE_READS_PER_USER: '1000000',
  RATE_LOGIN_PER_IP: '1000000',
  RATE_LOGIN_PER_USER: '1000000',
};

/** The blank Vite page the console is measured against: one line of script, nothing else. */
export function writeBlankPage(dir: string): void {
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8"><title>blank</title></head><body><div id="app"></div><script type="module" src="/main.js"></script></body></html>',
  );
  writeFileSync(
    join(dir, 'main.js'),
    "document.getElementById('app').textContent = '就绪'; document.body.dataset.ready = '1';",
  );
}

/** The demo county with 200 households, and 1 000 open appraisal tasks in one village (a fifth overdue). */
export async function seedInbox(engines: Engines, village: string): Promise<void> {
  const app = await registryContext({
    ...process.env,
    DATABASE_URL: engines.url,
    NATS_URL: engines.natsUrl,
    TEMPORAL_ADDRESS: engines.temporalUrl,
  });
  await runSeed(app, { households: 200, log: () => undefined, progress: false });
  await app.close();
  const pg = new Client({ connectionString: engines.url });
  await pg.connect();
  await pg.query(`SET search_path TO registry`);
  await pg.query(
    `WITH h AS (SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM household WHERE village_code = $1),
          c AS (INSERT INTO "case" (id, kind, workflow_id, household_id, region_code, township_code, county_code, year, reason, opened_by, step, updated_at)
                SELECT gen_random_uuid(), 'exit', 'bench/' || g, (SELECT id FROM h WHERE n = 1 + g % (SELECT max(total) FROM h)), $1, '411599001000', '411599000000', 2026, '基准', 'bench', 'village.appraisal', now()
                  FROM generate_series(1, 1000) g RETURNING id, workflow_id)
     INSERT INTO task (id, case_id, workflow_id, key, step, role, region_code, due_at, overdue)
     SELECT gen_random_uuid(), c.id, c.workflow_id, c.workflow_id || '/appraisal', 'village.appraisal', 'village', $1, now() + (random() * interval '20 days') - interval '5 days', random() < 0.2 FROM c`,
    [village],
  );
  // One revisit the village cadre may record (its due date first in the inbox), for the bytes a revisit with a photo sends.
  await pg.query(
    `WITH h AS (SELECT id FROM household WHERE village_code = $1 ORDER BY id LIMIT 1),
          c AS (INSERT INTO "case" (id, kind, workflow_id, household_id, region_code, township_code, county_code, year, reason, opened_by, step, updated_at)
                SELECT gen_random_uuid(), 'follow_up', 'bench/revisit', h.id, $1, '411599001000', '411599000000', 2026, '基准回访', 'bench', 'revisit', now() FROM h
                RETURNING id, workflow_id, household_id)
     INSERT INTO task (id, case_id, workflow_id, household_id, key, step, role, region_code, due_at, overdue)
     SELECT gen_random_uuid(), c.id, c.workflow_id, c.household_id, 'bench/revisit/1', 'revisit', 'village', $1, now() - interval '30 days', true FROM c`,
    [village],
  );
  await pg.end();
}

/** The registry in a process of its own, as deployed (not sharing an event loop with Playwright's client). */
export async function spawnRegistry(
  engines: Engines,
  extraEnv: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const registryPort = await freePort();
  const registry = spawn(
    process.execPath,
    [...nodeArgs, '-r', join(ROOT, 'tools/devkit/register.js'), join(ROOT, 'apps/registry/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: engines.url,
        NATS_URL: engines.natsUrl,
        TEMPORAL_ADDRESS: engines.temporalUrl,
        REGISTRY_PORT: String(registryPort),
        REGISTRY_HOST: '127.0.0.1',
        ...BENCH_LOGIN,
        ...extraEnv,
      },
      stdio: 'ignore',
    },
  );
  await waitFor('registry', () => isPortOpen('127.0.0.1', registryPort), 60_000);
  return { child: registry, url: `http://127.0.0.1:${registryPort}` };
}

/** The console's session for a user as its login page stores it: the token and the registry's user for it. */
export async function consoleSession(registryUrl: string, userId: string): Promise<string> {
  const login = (await (
    await fetch(`${registryUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    })
  ).json()) as { accessToken: string };
  const me = (await (
    await fetch(`${registryUrl}/auth/me`, { headers: { authorization: `Bearer ${login.accessToken}` } })
  ).json()) as Record<string, unknown>;
  return JSON.stringify({ token: login.accessToken, user: { ...me, expiresAt: Date.now() + 3_600_000 } });
}

const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');

export function build(dir: string, outDir: string) {
  const r = spawnSync(process.execPath, [VITE, 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vite build failed in ${dir}`);
}

export async function preview(
  dir: string,
  outDir: string,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [VITE, 'preview', '--port', String(port), '--strictPort', '--outDir', outDir], {
    cwd: dir,
    env: { ...process.env, ...env, CONSOLE_PORT: String(port) },
    stdio: 'ignore',
  });
  await waitFor('vite preview', () => isPortOpen('127.0.0.1', port), 30_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Entry script, modulepreloads and stylesheets named by index.html, with their gzip sizes. */
export function initialAssets(dist: string) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const size = (ref: string) => gzipSync(readFileSync(join(dist, ref))).length;
  return {
    js: refs.filter((r) => r.endsWith('.js')).reduce((s, r) => s + size(r), 0),
    css: refs.filter((r) => r.endsWith('.css')).reduce((s, r) => s + size(r), 0),
    size,
  };
}
