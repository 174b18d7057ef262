import { useEffect } from 'react';

/**
 * A table wider than the screen scrolls sideways inside its own box; a keyboard user must be able
 * to reach that box to scroll it (WCAG 2.1.1, axe's scrollable-region-focusable). Every such box in
 * the page is made focusable and named, as tables come and go. antd's hidden measuring row (a copy
 * of the header, select-all checkbox included) is made inert: hidden from readers, out of the tab order.
 */
export function useScrollableRegions(): void {
  useEffect(() => {
    const mark = () => {
      for (const row of Array.from(document.querySelectorAll<HTMLElement>('.ant-table-measure-row:not([inert])')))
        row.setAttribute('inert', '');
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body'))) {
        const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
        if (scrolls && !el.hasAttribute('tabindex')) {
          el.setAttribute('tabindex', '0');
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', '表格 (可滚动)');
        }
      }
    };
    let queued = false;
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        mark();
      });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', mark);
    mark();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', mark);
    };
  }, []);
}
