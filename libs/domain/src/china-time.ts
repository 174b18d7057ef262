/**
 * China Standard Time (UTC+8, no daylight saving): the clock every date that decides something is
 * read on (DESIGN.md "Years and dates"). A case opened at 2026-12-31 20:00 UTC is a 2027 case.
 */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The calendar year in China Standard Time. */
export function cstYear(at: Date = new Date()): number {
  return new Date(at.getTime() + CST_OFFSET_MS).getUTCFullYear();
}

/** The calendar month (1–12) in China Standard Time. */
export function cstMonth(at: Date = new Date()): number {
  return new Date(at.getTime() + CST_OFFSET_MS).getUTCMonth() + 1;
}

/** `YYYY-MM-DD` of the day in China Standard Time. */
export function cstDate(at: Date = new Date()): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a CST calendar day (`YYYY-MM-DD`) begins. */
export function cstDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}
