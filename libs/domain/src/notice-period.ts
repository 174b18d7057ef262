/**
 * 公示 lasts N *full* days: it starts when posted and ends at the midnight (China Standard Time,
 * UTC+8, no daylight saving) that closes the Nth whole calendar day after the posting day.
 * Posted 2026-11-29 15:00 for 7 days → full days 11-30 … 12-06 → ends 2026-12-07 00:00 CST.
 */
const CST_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;

export function noticeEndsAt(postedAt: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('notice days must be a positive integer');
  const localMidnightAfterPosting = Math.floor((postedAt.getTime() + CST_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS;
  return new Date(localMidnightAfterPosting + days * DAY_MS - CST_OFFSET_MS);
}

/** The policy minimum: 7 days for identification and exit, at least 5 for monitoring. */
export const MIN_NOTICE_DAYS = {
  identification: 7,
  exit: 7,
  return: 7,
  villageExit: 7,
  memberChange: 0,
  monitoring: 5,
  riskElimination: 7,
  removal: 7,
} as const;
