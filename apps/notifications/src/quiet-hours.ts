/** China Standard Time has no daylight saving: local = UTC + 8 h. */
const CST_MS = 8 * 3600_000;
const HOUR_MS = 3600_000;

function parse(spec: string): [number, number] | null {
  if (!spec || spec === 'none') return null;
  const [from, to] = spec.split('-').map(Number);
  return [from, to];
}

/** True when `at` falls in the quiet hours ("22-7": from 22:00 to 07:00 local time). */
export function inQuietHours(at: Date, spec: string): boolean {
  const q = parse(spec);
  if (!q) return false;
  const hour = new Date(at.getTime() + CST_MS).getUTCHours();
  const [from, to] = q;
  return from > to ? hour >= from || hour < to : hour >= from && hour < to;
}

/** The first moment after `at` when the quiet hours are over (07:00 local time for "22-7"). */
export function quietHoursEnd(at: Date, spec: string): Date {
  const q = parse(spec);
  if (!q || !inQuietHours(at, spec)) return at;
  const local = at.getTime() + CST_MS;
  const dayStart = Math.floor(local / (24 * HOUR_MS)) * 24 * HOUR_MS;
  let end = dayStart + q[1] * HOUR_MS;
  if (end <= local) end += 24 * HOUR_MS;
  return new Date(end - CST_MS);
}
