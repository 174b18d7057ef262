import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { users } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { consoleSuite } from '../support/console-stack';
import { householdsDueRevisit } from '../support/revisits';

/** Resolves once the page's service worker is 'activated' (`ready` may resolve while it is still 'activating'). */
const workerActivated = (page: Page) =>
  page.evaluate<string>(`navigator.serviceWorker.ready.then((r) => {
    const w = r.active;
    if (w.state === 'activated') return w.state;
    return new Promise((done) => w.addEventListener('statechange', () => w.state === 'activated' && done(w.state)));
  })`);

/** When the phone last saved the day's data (IndexedDB), 0 when it holds none; null when the database is gone. */
const savedAt = (page: Page) =>
  page.evaluate<number | null>(`indexedDB.databases().then((dbs) => {
    if (!dbs.some((d) => d.name === 'jingzhun-field')) return null;
    return new Promise((done) => {
      const open = indexedDB.open('jingzhun-field');
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('cache')) { db.close(); return done(0); }
        const get = db.transaction('cache').objectStore('cache').get('queries');
        get.onsuccess = () => { db.close(); done(get.result ? get.result.savedAt : 0); };
        get.onerror = () => { db.close(); done(0); };
      };
      open.onerror = () => done(0);
    });
  })`);

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
    expect(await workerActivated(page)).toBe('activated');

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

  it('a helper records three revisits with the network cut (one with a photo), reloads, comes back: each arrives once, the photo on the case page; one decided meanwhile shows its conflict; sign-out clears the phone', async () => {
    const households = await householdsDueRevisit(stack, ['离线户甲', '离线户乙', '离线户丙', '离线户丁']);
    const page = await stack.signedIn(users.helperA, { width: 390, height: 844 });
    await page.waitForURL(/\/helper$/);
    const card = (h: { number: string }) => page.getByTestId('revisit-card').filter({ hasText: h.number });
    for (const h of households) await card(h).waitFor();
    expect(await workerActivated(page)).toBe('activated');
    // The day's data is on the phone before the signal goes (saved a second after it arrives).
    for (let i = 0; i < 100 && !(await savedAt(page)); i++) await page.waitForTimeout(100);
    expect(await savedAt(page)).toBeGreaterThan(0);

    await page.context().setOffline(true);
    await page.getByTestId('offline').waitFor();
    for (const [i, h] of households.entries()) {
      await card(h).getByRole('button', { name: '记录回访' }).click();
      const drawer = page;
      await drawer.getByText('持平').click();
      await drawer.getByLabel('备注 (不得填写身份证号等敏感信息)').fill(`离线回访 ${i + 1}`);
      if (i === 0) {
        await drawer
          .getByTestId('photo-input')
          .setInputFiles(join(__dirname, '../../apps/console/public/icon-512.png'));
        await drawer.getByTestId('photo-thumb').waitFor();
        await screenshot(page, 'offline-revisit-photo');
      }
      await drawer.getByTestId('approve').click();
      await drawer.getByTestId('queued').waitFor();
      await drawer.getByTestId('queued-close').click();
      await drawer.getByTestId('queued').waitFor({ state: 'detached' });
    }
    const count = () => page.getByTestId('outbox-count').getAttribute('data-count');
    expect(await count()).toBe('4');
    expect(Number((await stack.pg.query(`SELECT count(*) FROM visit`)).rows[0].count)).toBe(0);

    // Meanwhile the village cadre records the fourth household's revisit from the office.
    const last = households[3];
    const byVillage = await stack.registry.http
      .post(`/tasks/${last.task.id}/decision`)
      .set(await stack.auth(users.villageA))
      .send({
        decision: 'approve',
        comment: '',
        data: {
          incomeChange: 'same',
          newRisks: [],
          needs: { food: true, clothing: true, education: true, medical: true, housing: true, water: true },
          note: '村干部电话回访',
        },
      });
    expect(byVillage.status).toBe(200);

    // Reloaded without signal: the shell from the service worker, the day's tasks and the outbox from the phone.
    await page.reload();
    await page.getByTestId('offline').waitFor();
    await card(households[1]).waitFor();
    expect(await page.getByTestId('data-age').innerText()).toContain('离线');
    expect(await count()).toBe('4');
    await page.getByTestId('outbox-count').click();
    await page.getByTestId('outbox-item').nth(3).waitFor();
    expect(await page.getByTestId('outbox-item').count()).toBe(4);
    await screenshot(page, 'offline-outbox');
    await page.keyboard.press('Escape');

    // Back online: sent in order, once each; the one decided meanwhile stays, with the registry's reason.
    await page.context().setOffline(false);
    await page.getByTestId('offline').waitFor({ state: 'detached' });
    for (let i = 0; i < 300 && (await count()) !== '1'; i++) await page.waitForTimeout(100);
    expect(await count()).toBe('1');
    const visits = await stack.pg.query(
      `SELECT household_id, count(*)::int AS n FROM visit
       WHERE household_id = ANY($1::uuid[]) GROUP BY household_id`,
      [households.map((h) => h.id)],
    );
    expect(visits.rows.map((r) => r.n)).toEqual([1, 1, 1, 1]);
    // The helper's three were made before they arrived (the village cadre's was recorded online).
    const made = await stack.pg.query(
      `SELECT visited_at < received_at AS earlier FROM visit WHERE household_id = ANY($1::uuid[]) AND visited_by = $2`,
      [households.map((h) => h.id), users.helperA],
    );
    expect(made.rows.map((r) => r.earlier)).toEqual([true, true, true]);
    const visitedBy = await stack.pg.query(
      `SELECT visited_by FROM visit WHERE household_id = ANY($1::uuid[]) ORDER BY visited_by`,
      [households.map((h) => h.id)],
    );
    expect(visitedBy.rows.map((r) => r.visited_by)).toEqual([
      users.helperA,
      users.helperA,
      users.helperA,
      users.villageA,
    ]);
    // The list reads the registry again once they are in: the fourth's task, decided at the office, leaves it (and with
    // it the card's 已录入, 待同步; a next revisit, if one opened, is a card of its own).
    await page.getByTestId('pending-sync').waitFor({ state: 'detached' });
    await page.getByTestId('outbox-count').click();
    const conflict = page.getByTestId('outbox-item');
    await conflict.waitFor();
    expect(await conflict.getAttribute('data-state')).toBe('conflict');
    expect(await conflict.innerText()).toContain(last.number);
    expect((await conflict.getByTestId('outbox-reason').innerText()).length).toBeGreaterThan(4);
    await screenshot(page, 'offline-conflict');
    // 重新打开表单: the household's open revisit (the next cycle's, if the village's record opened one) gets the
    // form back with what was entered; with none, the phone says so and the record stays.
    const nextOpen = (
      await stack.registry.http
        .get('/tasks?status=open&kind=follow_up&pageSize=200')
        .set(await stack.auth(users.helperA))
    ).body.items.find((t: { householdId: string }) => t.householdId === last.id);
    await conflict.getByTestId('outbox-reopen').click();
    if (nextOpen) {
      await page.getByTestId('approve').waitFor();
      expect(await page.getByLabel('备注 (不得填写身份证号等敏感信息)').inputValue()).toBe('离线回访 4');
      await page.keyboard.press('Escape');
    } else await page.getByText(`${last.head} · ${last.number} 当前没有可办理的`).waitFor();
    await page.getByTestId('outbox-count').click();
    await conflict.getByTestId('outbox-discard').click();
    await page.getByTestId('outbox-item').waitFor({ state: 'detached' });
    expect(await count()).toBe('0');
    await page.keyboard.press('Escape');
    await page.getByTestId('outbox-count').waitFor({ state: 'detached' });

    // The photo is with the first revisit, on its case page.
    await page.goto(`${stack.consoleUrl}/cases/${households[0].task.caseId}`);
    await page.getByTestId('case-photo').waitFor();
    expect(await page.getByTestId('case-photo').count()).toBe(1);
    await page.locator('[data-testid="case-photo"] img').waitFor();
    await screenshot(page, 'case-photo-phone');

    // Signing out takes the phone's data with it.
    expect(await savedAt(page)).toBeGreaterThan(0);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    expect(await savedAt(page)).toBeNull();
  });
});
