import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Debian's chromium (Playwright cannot download its own browsers here). `npm test` installs it when
 * missing; a run without it fails loudly here, it never skips.
 */
export function chromiumPath(): string {
  const candidates = [process.env.JZ_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  for (const p of candidates) if (existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error(
      '找不到 Chromium: 浏览器测试需要 Debian 的 chromium 包 (apt-get install -y chromium), 或设置 JZ_CHROMIUM',
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'],
  });
}

/** A full-page screenshot under test-results/screenshots, written on every run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is: the serious and critical violations, described. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')})`,
    );
}

/** What sticks out past the viewport's right edge (the deepest elements wider than `width`), to name a phone-width overflow. */
/** A dialog that fits the phone: its box within `width` and nothing in it scrolling sideways; empty when it fits. */
export async function dialogOverflow(dialog: Locator, width: number): Promise<string[]> {
  const box = await dialog.boundingBox();
  if (!box) return ['dialog not shown'];
  const out: string[] = [];
  if (box.x < 0) out.push(`left=${Math.round(box.x)}`);
  if (box.x + box.width > width) out.push(`right=${Math.round(box.x + box.width)}`);
  if (!(await dialog.evaluate((el) => el.scrollWidth <= el.clientWidth + 1))) out.push('scrolls sideways');
  return out;
}

export async function overflowing(page: Page, width: number): Promise<string[]> {
  // Runs in the page (a string: the test project has no DOM types).
  return page.evaluate(`(() => {
    const w = ${width};
    const out = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.right <= w + 0.5 || r.width === 0) continue;
      const child = Array.from(el.children).some((c) => c.getBoundingClientRect().right > w + 0.5);
      if (!child) out.push(el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 2).join('.') + ' right=' + Math.round(r.right));
    }
    return out.slice(0, 8);
  })()`);
}
