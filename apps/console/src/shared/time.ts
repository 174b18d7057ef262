import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

dayjs.locale('zh-cn');

/**
 * Every date is shown in China Standard Time, whatever the browser's zone. CST is UTC+8 all year
 * (no daylight saving), so it is plain arithmetic: no Intl time-zone lookup per table cell
 * (dayjs.tz took 40 ms of an inbox's first render in bench:console's profile).
 */
const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

function cstParts(v: string | Date) {
  const d = new Date(new Date(v).getTime() + CST_OFFSET_MS);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    min: d.getUTCMinutes(),
  };
}

export const fmtDate = (v: string | Date | null | undefined) => {
  if (!v) return '—';
  const p = cstParts(v);
  return `${p.y}年${p.m}月${p.d}日`;
};

export const fmtDateTime = (v: string | Date | null | undefined) => {
  if (!v) return '—';
  const p = cstParts(v);
  return `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.h)}:${pad(p.min)}`;
};

/** The CST calendar day number of an instant. */
const cstDay = (v: string | Date) => Math.floor((new Date(v).getTime() + CST_OFFSET_MS) / DAY_MS);

/** Whole CST calendar days from now to `v` (negative when past). */
export function daysUntil(v: string | Date, now: Date = new Date()): number {
  return cstDay(v) - cstDay(now);
}

export { dayjs };
