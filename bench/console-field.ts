import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** In the page: every fetch's size as it leaves (request line, the headers the page sets, the body). */
const SENT_LOG = `(() => {
  const f = window.fetch.bind(window);
  window.__jzSent = [];
  window.fetch = (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    const method = init.method || 'GET';
    const body = init.body;
    const size = body == null ? 0 : typeof body === 'string' ? new TextEncoder().encode(body).length : body.size ?? body.byteLength ?? 0;
    const headers = Object.entries(init.headers || {}).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    window.__jzSent.push({ method, url, bytes: size + headers + method.length + url.length + 11 });
    return f(input, init);
  };
})()`;

type Link = { latency: number; downloadThroughput: number; uploadThroughput: number; offline: boolean };

/**
 * bench:console's field part (#24), for a village cadre on a 390 px phone: the inbox opened once online (the
 * service worker installed, the day's data saved in IndexedDB), then reopened `runs` times on the slow link,
 * timed to its first task card; then the bytes one revisit with a camera photo sends.
 */
export async function phoneInTheField(
  browser: Browser,
  stored: string,
  consoleUrl: string,
  slow: Link,
  runs: number,
  tmp: string,
): Promise<{ cachedPhone: number[]; revisitBytes: Awaited<ReturnType<typeof revisitWithPhoto>> }> {
  const cachedPhone: number[] = [];
  const ctx = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await ctx.addInitScript(`sessionStorage.setItem('jz.session', ${JSON.stringify(stored)})`);
  await ctx.addInitScript(SENT_LOG);
  const phone = await ctx.newPage();
  await phone.goto(`${consoleUrl}/inbox`);
  await phone.locator('[data-testid="task-card"] button').first().waitFor({ timeout: 60_000 });
  await phone.evaluate(`navigator.serviceWorker.ready.then((r) => r.active.state === 'activated' ? 1 :
    new Promise((done) => r.active.addEventListener('statechange', () => r.active.state === 'activated' && done(1))))`);
  await phone.waitForTimeout(1500); // the day's data is saved a second after it arrives
  const cdp = await ctx.newCDPSession(phone);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', slow);
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await phone.reload({ timeout: 120_000 });
    await phone.locator('[data-testid="task-card"] button').first().waitFor({ timeout: 120_000 });
    cachedPhone.push(performance.now() - t);
  }
  await cdp.send('Network.emulateNetworkConditions', {
    ...slow,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const revisitBytes = await revisitWithPhoto(phone, consoleUrl, tmp);
  await ctx.close();
  return { cachedPhone, revisitBytes };
}

/**
 * The bytes a phone sends for one revisit with a photo (#24): a camera-sized JPEG (4000×3000, made in the page)
 * chosen in the revisit form, compressed on the phone, then the photo's upload and the record, headers included.
 */
async function revisitWithPhoto(
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
  await page.getByRole('button', { name: '记录回访' }).first().click({ timeout: 60_000 });
  const drawer = page;
  await drawer.getByText('持平').click({ timeout: 60_000 });
  await drawer.getByTestId('photo-input').setInputFiles(file);
  await drawer.getByTestId('photo-thumb').waitFor({ timeout: 60_000 });
  await drawer.getByTestId('approve').click();
  // What the page hands to the network, counted by the fetch wrapper (SENT_LOG): bodies, request line and headers
  // the page sets; the browser adds its own few hundred bytes per request (user agent, accept, cookies: none here).
  const sizes = { photo: 0, record: 0 };
  for (let i = 0; i < 600 && sizes.record === 0; i++) {
    await page.waitForTimeout(100);
    const sent = await page.evaluate<{ method: string; url: string; bytes: number }[]>('window.__jzSent ?? []');
    sizes.photo = sent.filter((r) => r.method === 'PUT' && r.url.includes('/photos/')).reduce((n, r) => n + r.bytes, 0);
    sizes.record = sent.filter((r) => r.url.endsWith('/decision')).reduce((n, r) => n + r.bytes, 0);
  }
  if (sizes.record === 0) {
    await page.screenshot({ path: join(tmp, '..', 'jz-bench-revisit.png'), fullPage: true }).catch(() => undefined);
    throw new Error('the revisit was not sent within 60 s (screenshot: jz-bench-revisit.png beside the bench folder)');
  }
  return { camera: camera.length, ...sizes, total: sizes.photo + sizes.record };
}
