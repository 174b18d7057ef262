/** Revisit cadences (policy data): plain date arithmetic the follow-up workflow imports (no zod). */
/** ISO-8601 calendar durations used by policy: P<n>M (months) or P<n>D (days). */
export function addCadence(at: Date, cadence: string): Date {
  const m = /^P(\d+)([MD])$/.exec(cadence);
  if (!m) throw new RangeError(`cadence must look like P3M or P30D, got ${cadence}`);
  const n = Number(m[1]);
  if (m[2] === 'D') return new Date(at.getTime() + n * 86_400_000);
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  // 31 Jan + 1 month → 28/29 Feb, not 3 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export function isCadence(s: string): boolean {
  return /^P(\d+)([MD])$/.test(s) && Number(s.slice(1, -1)) > 0;
}
