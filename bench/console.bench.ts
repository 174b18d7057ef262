import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureChromium } from '../tools/devkit/src/chromium';
import { ROOT } from '../tools/devkit/src/paths';
import { benchEngines } from './bench-engines';
import {
  build,
  consoleSession,
  initialAssets,
  preview,
  seedInbox,
  spawnRegistry,
  writeBlankPage,
} from './console-fixture';
import { phoneInTheField } from './console-field';

const out = (line: string) => process.stdout.write(`${line}\n`);
const _VITE = join(ROOT, 'node_modules/vite/bin/vite.js');
const CONSOLE = join(ROOT, 'apps/console');
const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `npm run bench:console`: the production build's initial JS and CSS (gzip), the JS actually loaded to
 * show the inbox, and the inbox's time to interactive with 1,000 open tasks in headless Chromium,
 * beside a blank Vite page built and served the same way in the same run.
 */
export async function benchConsole(args: string[]): Promise<void> {
  const runs = Number(args[args.indexOf('--runs') + 1] || 7);
  const engines = await benchEngines({ temporal: true });
  const tmp = mkdtempSync(join(tmpdir(), 'jz-bench-console-'));
  const children: ChildProcess[] = [];
  try {
    out('构建控制台 (vite build)…');
    const dist = join(tmp, 'console');
    build(CONSOLE, dist);
    const blankDir = join(tmp, 'blank');
    mkdirSync(blankDir);
    writeBlankPage(blankDir);
    build(blankDir, join(tmp, 'blank-dist'));

    out('准备数据: 演示县 200 户 + 一个村的 1 000 条待办…');
    const village = '411599001001';
    await seedInbox(engines, village);

    // The registry in a process of its own, as deployed (not sharing an event loop with Playwright's client).
    const { child: registry, url: registryUrl } = await spawnRegistry(engines);
    children.push(registry);
    const stored = await consoleSession(registryUrl, `village-${village}`);
    const token = (JSON.parse(stored) as { token: string }).token;
    const countyStored = await consoleSession(registryUrl, 'county-411599');

    const consoleServer = await preview(CONSOLE, dist, {
      REGISTRY_URL: registryUrl,
      MONITORING_URL: registryUrl,
      NOTIFICATIONS_URL: registryUrl,
    });
    const blankServer = await preview(blankDir, join(tmp, 'blank-dist'), {});
    children.push(consoleServer.child, blankServer.child);

    const browser = await chromium.launch({
      executablePath: ensureChromium(out),
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    const inboxJs = new Map<string, number>();
    const blank: number[] = [];
    const inbox: number[] = [];
    const split: Record<string, number[]> = {};
    const profileLines: string[] = [];
    out(`空白页与 1 000 条待办的收件箱, 各 ${runs} 次…`);
    for (let i = 0; i < runs; i++) {
      // A fresh context each time: nothing cached between runs, as for an officer opening the console.
      const b = await browser.newContext();
      const bp = await b.newPage();
      const t0 = performance.now();
      await bp.goto(blankServer.url);
      await bp.locator('body[data-ready="1"]').waitFor();
      blank.push(performance.now() - t0);
      await b.close();

      const c = await browser.newContext({ locale: 'zh-CN' });
      await c.addInitScript(`sessionStorage.setItem('jz.session', ${JSON.stringify(stored)})`);
      const cp = await c.newPage();
      cp.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/assets/') && path.endsWith('.js')) inboxJs.set(path, 0);
      });
      const marks: Record<string, number> = {};
      cp.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.includes('InboxPage') && !marks.routeChunk) marks.routeChunk = performance.now() - t1;
        if (path === '/api/registry/tasks' && !marks.tasksAsked) marks.tasksAsked = performance.now() - t1;
      });
      cp.on('response', (r) => {
        if (new URL(r.url()).pathname === '/api/registry/tasks' && !marks.tasksAnswered)
          marks.tasksAnswered = performance.now() - t1;
      });
      cp.on('requestfinished', (r) => {
        if (new URL(r.url()).pathname !== '/api/registry/tasks') return;
        const t = r.timing();
        split.tasksQueued ??= [];
        split.tasksQueued.push(Math.max(0, t.requestStart));
        split.tasksServerWait ??= [];
        split.tasksServerWait.push(t.responseStart - t.requestStart);
      });
      const t1 = performance.now();
      await cp.goto(`${consoleServer.url}/inbox`);
      marks.loaded = performance.now() - t1;
      await cp.getByRole('button', { name: '办理' }).first().waitFor();
      inbox.push(performance.now() - t1);
      marks.interactive = inbox.at(-1)!;
      for (const [k, v] of Object.entries(marks)) {
        split[k] ??= [];
        split[k].push(v);
      }
      if (i === 0) {
        const total = await cp.getByTestId('inbox-total').getAttribute('data-count');
        if (Number(total) < 1000) throw new Error(`inbox shows ${total} tasks, expected 1000`);
      }
      await c.close();
    }
    // A county office's or a phone's link (Chromium's network emulation: 300 ms, 750 kbit/s each way), nothing cached:
    // the blank page, the phone's inbox (cards at 390 px) and the county dashboard (its charts drawn).
    const slow = {
      latency: 300,
      downloadThroughput: (750 * 1000) / 8,
      uploadThroughput: (750 * 1000) / 8,
      offline: false,
    };
    const throttledRuns = Number(args[args.indexOf('--throttled-runs') + 1] || 3);
    const throttled: Record<'blank' | 'phoneInbox' | 'dashboard', number[]> = {
      blank: [],
      phoneInbox: [],
      dashboard: [],
    };
    out(`慢速网络 (300 ms / 750 kbit/s) 上首次打开: 空白页、手机待办、县级看板 × ${throttledRuns}…`);
    for (let i = 0; i < throttledRuns; i++) {
      for (const [key, url, session, ready, viewport] of [
        ['blank', blankServer.url, null, 'body[data-ready="1"]', { width: 1366, height: 900 }],
        [
          'phoneInbox',
          `${consoleServer.url}/inbox`,
          stored,
          '[data-testid="task-card"] button',
          { width: 390, height: 844 },
        ],
        ['dashboard', `${consoleServer.url}/dashboard`, countyStored, '[role="img"] svg', { width: 1366, height: 900 }],
      ] as const) {
        const ctx = await browser.newContext({
          locale: 'zh-CN',
          viewport,
          ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}),
        });
        if (session) await ctx.addInitScript(`sessionStorage.setItem('jz.session', ${JSON.stringify(session)})`);
        const page = await ctx.newPage();
        const cdp = await ctx.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', slow);
        const t = performance.now();
        await page.goto(url, { timeout: 120_000 });
        await page.locator(ready).first().waitFor({ timeout: 120_000 });
        throttled[key].push(performance.now() - t);
        await ctx.close();
      }
    }

    // #24: the phone inbox opened again from its cache on the same slow link, and what a revisit with a photo sends.
    out('手机待办: 首次联网打开后, 在慢速网络上从手机缓存再次打开; 一次带照片的回访发送的字节数…');
    const { cachedPhone, revisitBytes } = await phoneInTheField(
      browser,
      stored,
      consoleServer.url,
      slow,
      throttledRuns,
      tmp,
    );

    // One more load under the CPU profiler: where the main thread's time goes, by script and by function.
    const profiled = await browser.newContext({ locale: 'zh-CN' });
    await profiled.addInitScript(`sessionStorage.setItem('jz.session', ${JSON.stringify(stored)})`);
    const pp = await profiled.newPage();
    const cdp = await profiled.newCDPSession(pp);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await pp.goto(`${consoleServer.url}/inbox`);
    await pp.getByRole('button', { name: '办理' }).first().waitFor();
    const { profile } = (await cdp.send('Profiler.stop')) as {
      profile: {
        nodes: { id: number; callFrame: { functionName: string; url: string }; hitCount?: number }[];
        samples: number[];
        timeDeltas: number[];
      };
    };
    const selfMs = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const byScript = new Map<string, number>();
    const byFunction = new Map<string, number>();
    for (const n of profile.nodes) {
      const ms = selfMs.get(n.id) ?? 0;
      const script = n.callFrame.url
        ? new URL(n.callFrame.url).pathname.replace(/^\/assets\//, '').replace(/-[\w-]{8}\.js$/, '.js')
        : `(${n.callFrame.functionName || 'native'})`;
      byScript.set(script, (byScript.get(script) ?? 0) + ms);
      const fn = `${n.callFrame.functionName || '(anonymous)'} @ ${script}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    }
    await profiled.close();
    await browser.close();
    const top = (m: Map<string, number>, k: number) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
        .join('; ');
    profileLines.push(
      `CPU profile of one inbox load, self time by script: ${top(byScript, 8)}`,
      `… by function: ${top(byFunction, 10)}`,
    );
    // The inbox request alone, machine idle: straight to the registry, and through the console's proxy.
    const timed = async (url: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json();
        xs.push(performance.now() - t);
      }
      return median(xs);
    };
    const direct = await timed(`${registryUrl}/tasks?status=open&page=1&pageSize=20`);
    const proxied = await timed(`${consoleServer.url}/api/registry/tasks?status=open&page=1&pageSize=20`);

    const initial = initialAssets(dist);
    const loadedForInbox = [...inboxJs.keys()].reduce((s, p) => s + initial.size(p), 0);
    const ratio = median(inbox) / median(blank);
    out('');
    out('| 项目 | 结果 | 目标 |');
    out('|---|---|---|');
    const met = (ok: boolean) => (ok ? '(met)' : '(NOT met)');
    out(
      `| initial JS (index.html: entry + modulepreload), gzip | ${kB(initial.js)} | ≤ 250 kB ${met(initial.js <= 250 * 1024)} |`,
    );
    out(`| JS loaded to show the inbox (${inboxJs.size} files), gzip | ${kB(loadedForInbox)} | |`);
    out(`| initial CSS, gzip | ${kB(initial.css)} (antd 6 styles are CSS-in-JS) | |`);
    out(`| blank Vite page, time to ready (median of ${runs}) | ${median(blank).toFixed(0)} ms | baseline |`);
    out(`| inbox with 1 000 open tasks, time to interactive (median of ${runs}) | ${median(inbox).toFixed(0)} ms | |`);
    out(`| ratio inbox / blank | ${ratio.toFixed(2)}× | ≤ 2× ${met(ratio <= 2)} |`);
    out(
      `| 300 ms / 750 kbit/s link: blank Vite page (median of ${throttledRuns}) | ${median(throttled.blank).toFixed(0)} ms | baseline |`,
    );
    out(
      `| 300 ms / 750 kbit/s link: phone inbox (390 px, cards) interactive | ${median(throttled.phoneInbox).toFixed(0)} ms (${(median(throttled.phoneInbox) / median(throttled.blank)).toFixed(2)}× blank) | ≤ 3 000 ms ${met(median(throttled.phoneInbox) <= 3000)} |`,
    );
    out(
      `| 300 ms / 750 kbit/s link: county dashboard, charts drawn | ${median(throttled.dashboard).toFixed(0)} ms (${(median(throttled.dashboard) / median(throttled.blank)).toFixed(2)}× blank) | |`,
    );
    out(
      `| 300 ms / 750 kbit/s link: phone inbox again, from the phone's cache (service worker + IndexedDB) | ${median(cachedPhone).toFixed(0)} ms (${(median(cachedPhone) / median(throttled.phoneInbox)).toFixed(2)}× the first open, ${(median(cachedPhone) / median(throttled.blank)).toFixed(2)}× blank) | ≤ 1 000 ms ${met(median(cachedPhone) <= 1000)} |`,
    );
    out(
      `| one revisit with a ${kB(revisitBytes.camera)} camera photo: bytes sent (photo ${kB(revisitBytes.photo)} + record ${kB(revisitBytes.record)}, headers included) | ${kB(revisitBytes.total)} (${(revisitBytes.total / revisitBytes.camera).toFixed(2)}× the camera file) | photo ≤ 500 kB ${met(revisitBytes.photo <= 500 * 1024 + 2048)} |`,
    );
    out('');
    out(
      `GET /tasks (page 1 of 1 000) with the machine idle: ${direct.toFixed(0)} ms direct, ${proxied.toFixed(0)} ms through the console's proxy`,
    );
    for (const line of profileLines) out(line);
    out(
      "Where the inbox's time goes (median ms from navigation): " +
        Object.entries(split)
          .map(([k, v]) => `${k} ${median(v).toFixed(0)}`)
          .join(', '),
    );
  } finally {
    for (const c of children) c.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
    await engines.close();
  }
}
