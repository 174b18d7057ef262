import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { startConsole } from './console-server';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ownTemporal } from './engines';
import { procedureStack } from './procedure-stack';
import { startMonitoring, startNotifications, type RunningService } from './services';
import { timeSkippingEnv } from './workflow-env';

export interface ConsoleStackOptions {
  /**
   * Temporal's time-skipping test server instead of a dev server, for journeys that span a
   * calendar (the campaign's months): the test skips virtual time through `timeSkipping`.
   */
  timeSkipping?: boolean;
}

/**
 * Everything a person uses, for the browser journeys: PostgreSQL, NATS, a Temporal dev server of
 * its own, the registry (+ its activities), the workflow worker, monitoring, notifications, the
 * console's production build behind its proxy, and headless Chromium.
 */
export async function consoleStack(options: ConsoleStackOptions = {}) {
  const skipping: TestWorkflowEnvironment | null = options.timeSkipping ? await timeSkippingEnv() : null;
  const temporal = skipping ? { address: skipping.address, stop: () => skipping.teardown() } : await ownTemporal();
  const stack = await procedureStack('console', temporal.address);
  const monitoring: RunningService = await startMonitoring(stack.db.url, {
    REGISTRY_URL: stack.registry.baseUrl,
    TEMPORAL_ADDRESS: temporal.address,
  });
  const notifications: RunningService = await startNotifications(stack.db.url, {
    REGISTRY_URL: stack.registry.baseUrl,
    TEMPORAL_ADDRESS: temporal.address,
  });
  const consoleServer = await startConsole({
    registry: stack.registry.baseUrl,
    monitoring: monitoring.baseUrl,
    notifications: notifications.baseUrl,
  });
  const browser: Browser = await launchBrowser();
  const contexts: BrowserContext[] = [];

  /** A fresh browser session (its own sessionStorage), signed in as `userId` through the login page. */
  async function signedIn(userId: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${consoleServer.url}/login`);
    await page.locator(`button[data-user="${userId}"]`).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }

  /** Every open page as it is now (after each test: what a failure looked like). */
  let captured = 0;
  async function captureOpenPages(label: string) {
    const slug = label.replace(/[^\p{L}\p{N}]+/gu, '-').slice(-50);
    captured++;
    let i = 0;
    for (const c of contexts)
      for (const p of c.pages()) await screenshot(p, `after-${captured}-${slug}-${i++}`).catch(() => undefined);
  }

  return {
    ...stack,
    captureOpenPages,
    /** The time-skipping server (with `{ timeSkipping: true }`), else null. */
    timeSkipping: skipping,
    monitoring,
    notifications,
    consoleUrl: consoleServer.url,
    browser,
    signedIn,
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await consoleServer.stop();
      await notifications.close();
      await monitoring.close();
      await stack.close();
      await temporal.stop();
    },
  };
}

export type ConsoleStack = Awaited<ReturnType<typeof consoleStack>>;

/**
 * The browser file's stack: started before its tests, every open page captured after each test
 * (what a failure looked like), stopped after. Returns the stack as it will be once started.
 */
export function consoleSuite(options: ConsoleStackOptions = {}): ConsoleStack {
  let current: ConsoleStack | undefined;
  beforeAll(async () => {
    current = await consoleStack(options);
  });
  afterEach(async () => {
    await current?.captureOpenPages(expect.getState().currentTestName ?? 'test');
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as ConsoleStack, {
    get(_, key) {
      if (!current) throw new Error('the console stack is not started yet');
      return current[key as keyof ConsoleStack];
    },
  });
}
