import { createHash } from 'node:crypto';
import { addCadence } from '@jingzhun/domain';

const DAY_MS = 86_400_000;

/**
 * The first revisit of a follow-up the sweep starts: due somewhere in the coming cadence (at least
 * two weeks out, or half the cadence when that is shorter), the same day for the same household on
 * every run; the workflow's first task waits until 30 days before it.
 */
export function firstRevisit(
  householdId: string,
  cadence: string,
  now: Date,
): { firstDueAt: Date; startDelayMs: number } {
  const span = addCadence(now, cadence).getTime() - now.getTime();
  const lead = Math.min(14 * DAY_MS, span / 2);
  const frac = createHash('sha256').update(householdId).digest().readUInt32BE(0) / 2 ** 32;
  const firstDueAt = new Date(now.getTime() + lead + Math.floor(frac * (span - lead)));
  return { firstDueAt, startDelayMs: Math.max(0, firstDueAt.getTime() - now.getTime() - 30 * DAY_MS) };
}
