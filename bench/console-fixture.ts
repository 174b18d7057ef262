import type { Page } from 'playwright-core';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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

/**
 * The bytes a phone sends for one revisit with a photo (#24): a camera-sized JPEG (4000×3000, made in the page)
 * chosen in the revisit form, compressed on the phone, then the photo's upload and the record, headers included.
 */
export async function revisitWithPhoto(
  page: Page,
  consoleUrl: string,
  tmp: string,
): Promise<{ camera: number; photo: number; record: number; total: number }> {
  const base64 = await page.evaluate<string>(`(() => {
    const c = document.createElement('canvas');
    c.width = 4000; c.height = 3000;
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(4000, 3000);
    let x = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      const v = 96 + ((x >> 8) & 63) + Math.round(64 * Math.sin(i / 40000));
      img.data[i] = v; img.data[i + 1] = v + 10; img.data[i + 2] = v - 10; img.data[i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return c.toDataURL('image/jpeg', 0.92).split(',')[1];
  })()`);
  const file = join(tmp, 'camera.jpg');
  const camera = Buffer.from(base64, 'base64');
  writeFileSync(file, camera);
  await page.goto(`${consoleUrl}/inbox`);
  await page.getByRole('button', { name: '记录回访' }).first().click();
  const drawer = page;
  await drawer.getByText('持平').click();
  await drawer.getByTestId('photo-input').setInputFiles(file);
  await drawer.getByTestId('photo-thumb').waitFor({ timeout: 60_000 });
  const sizes: { photo: number; record: number } = { photo: 0, record: 0 };
  const done = new Promise<void>((resolve) => {
    page.on('requestfinished', async (r) => {
      const path = new URL(r.url()).pathname;
      const s = await r.sizes();
      if (/\/photos\//.test(path) && r.method() === 'PUT') sizes.photo += s.requestBodySize + s.requestHeadersSize;
      if (path.endsWith('/decision')) {
        sizes.record += s.requestBodySize + s.requestHeadersSize;
        resolve();
      }
    });
  });
  await drawer.getByTestId('approve').click();
  await done;
  return { camera: camera.length, ...sizes, total: sizes.photo + sizes.record };
}
