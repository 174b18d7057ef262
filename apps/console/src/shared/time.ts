import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import relativeTime from 'dayjs/plugin/relativeTime';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);
dayjs.locale('zh-cn');

/** Every date is shown in China Standard Time, whatever the browser's zone. */
export const CST = 'Asia/Shanghai';
export const cst = (v: string | Date | null | undefined) => (v ? dayjs(v).tz(CST) : null);
export const fmtDate = (v: string | Date | null | undefined) => cst(v)?.format('YYYY年M月D日') ?? '—';
export const fmtDateTime = (v: string | Date | null | undefined) => cst(v)?.format('YYYY-MM-DD HH:mm') ?? '—';

/** Whole days from now to `v` in CST calendar days (negative when past). */
export function daysUntil(v: string | Date, now: Date = new Date()): number {
  return cst(v)!.startOf('day').diff(dayjs(now).tz(CST).startOf('day'), 'day');
}

export { dayjs };
