import { users } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { consoleSuite } from '../support/console-stack';

jest.setTimeout(180_000);

/** #24 §1: the console installable on a phone, its shell served by the service worker without signal. */
describe('console: installable, and opens offline after one visit', () => {
  const stack = consoleSuite();

  it('a helper on a phone: manifest and icons, the shell from the service worker with the network cut, 离线 shown', async () => {
    const page = await stack.signedIn(users.helperA, { width: 390, height: 844 });
    await page.getByRole('main').waitFor();

    // Installable: the manifest names the app and carries the icons a phone asks for.
    const manifest = await (await page.request.get(`${stack.consoleUrl}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ short_name: '精准', display: 'standalone', start_url: '/inbox', lang: 'zh-CN' });
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(
      expect.arrayContaining(['192x192', '512x512']),
    );
    expect((await page.request.get(`${stack.consoleUrl}/icon-512.png`)).headers()['content-type']).toBe('image/png');

    // One visit installs the worker and its precache (every route's code).
    // `ready` resolves once a worker is active, possibly still 'activating' (its precache being moved in): wait for 'activated'.
    const active = await page.evaluate<string>(`navigator.serviceWorker.ready.then((r) => {
      const w = r.active;
      if (w.state === 'activated') return w.state;
      return new Promise((done) => w.addEventListener('statechange', () => w.state === 'activated' && done(w.state)));
    })`);
    expect(active).toBe('activated');

    // The network is cut: the reload is answered by the service worker, the page is the console, and says 离线.
    await page.context().setOffline(true);
    const reload = await page.reload();
    expect(reload?.fromServiceWorker()).toBe(true);
    await page.getByTestId('offline').waitFor();
    await page.getByRole('button', { name: '打开菜单' }).waitFor();
    expect(await page.evaluate<boolean>('navigator.onLine')).toBe(false);
    await screenshot(page, 'offline-phone');
    // A new version is offered, never forced: nothing reloads the page by itself while offline.
    expect(await page.getByTestId('app-update').count()).toBe(0);

    await page.context().setOffline(false);
    await page.getByTestId('offline').waitFor({ state: 'detached' });
  });
});
