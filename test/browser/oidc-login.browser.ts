import { decodeJwt } from 'jose';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../../tools/devkit/src/engines/net';
import { accessibilityProblems, launchBrowser, screenshot } from '../support/browser';
import { startConsole } from '../support/console-server';
import { freshDatabase } from '../support/database';
import { A, seedFixtures, users } from '../support/fixtures';
import { startProvider, type TestProvider } from '../support/oidc';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(180_000);

/** The console's stored session in that tab (the test's tsconfig has no DOM types: evaluated as text). */
const session = (page: Page) => page.evaluate<string | null>(`sessionStorage.getItem('jz.session')`);

/**
 * Production sign-in in a real Chromium: dev login off, the console sends the browser to the county
 * identity provider (`oidc-provider`), Authorization Code + PKCE, back to the console, which asks
 * the registry who the token is. Signing out ends the provider's session too.
 */
describe('console: sign-in through the county identity provider', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let provider: TestProvider;
  let registry: RunningRegistry;
  let consoleServer: Awaited<ReturnType<typeof startConsole>>;
  let browser: Browser;
  let pg: Client;

  beforeAll(async () => {
    db = await freshDatabase('oidc-browser');
    await seedFixtures(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query(`UPDATE registry."user" SET oidc_subject = 'kc-' || id WHERE id = ANY($1)`, [
      [users.countyA, users.villageA],
    ]);
    const consolePort = await freePort();
    provider = await startProvider({ redirectUris: [`http://127.0.0.1:${consolePort}/auth/callback`] });
    registry = await startRegistry(db.url, { AUTH_DEV_LOGIN: 'false', OIDC_ISSUER: provider.issuer });
    consoleServer = await startConsole(
      { registry: registry.baseUrl, monitoring: registry.baseUrl, notifications: registry.baseUrl },
      consolePort,
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await consoleServer?.stop();
    await registry?.close();
    await provider?.stop();
    await pg?.end();
    await db?.drop();
  });

  async function signInAtProvider(login: string, viewport = { width: 1366, height: 900 }) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await page.goto(`${consoleServer.url}/login`);
    await page.getByTestId('oidc-login').click();
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('secret');
    await page.locator('button[type="submit"]').click();
    return page;
  }

  it('a village cadre on a phone signs in at the provider and lands on their inbox as the registry says', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const login = await context.newPage();
    await login.goto(`${consoleServer.url}/login`);
    await login.getByTestId('oidc-login').waitFor();
    expect(await login.locator('button[data-user]').count()).toBe(0); // dev login is off: no demo users offered
    expect(await accessibilityProblems(login)).toEqual([]);
    await screenshot(login, 'login-oidc');
    await context.close();

    const page = await signInAtProvider('kc-village-a', { width: 390, height: 844 });
    await page.waitForURL((url) => url.href.startsWith(consoleServer.url) && url.pathname === '/inbox');
    const stored = JSON.parse((await session(page)) ?? 'null') as {
      token: string;
      user: { id: string; role: string; regionCode: string };
    };
    expect(stored.user).toMatchObject({ id: users.villageA, role: 'village', regionCode: A.village });
    expect(decodeJwt(stored.token)).toMatchObject({ iss: provider.issuer, aud: 'jingzhun', sub: 'kc-village-a' });
    await page.getByText('待办').first().waitFor();
    await page.context().close();
  });

  it('a county officer signs in; signing out ends the provider session too', async () => {
    const page = await signInAtProvider('kc-county-a');
    await page.waitForURL(
      (url) =>
        url.href.startsWith(consoleServer.url) &&
        !url.pathname.startsWith('/auth') &&
        !url.pathname.startsWith('/login'),
    );
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.getByRole('button', { name: /退出/ }).click();
    await page.waitForURL((url) => url.href.startsWith(`${provider.issuer}/session/end`));
    expect(await session(page)).toBeNull();
    await page.context().close();
  });

  it('an account the registry does not know is told so, and gets no session', async () => {
    const page = await signInAtProvider('kc-stranger');
    await page.getByText('该账号未在本系统登记或已停用').waitFor();
    expect(await session(page)).toBeNull();
    await screenshot(page, 'login-oidc-unknown');
    await page.context().close();
  });
});
