import { HouseholdError } from '@jingzhun/contracts';
import { DomainException } from '@jingzhun/platform';

/** Searches by a full ID number one person may make in an hour (issue #22: a masked number must not be rebuilt by trying candidates). */
export const ID_SEARCHES_PER_HOUR = 60;

/**
 * A sliding hour of each user's searches by full ID number, in this process (each registry replica
 * counts its own; the audit trail has every search whichever replica answered it).
 */
export class IdSearchLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly perHour = ID_SEARCHES_PER_HOUR) {}

  take(userId: string, now = Date.now()): void {
    const hourAgo = now - 3_600_000;
    const recent = (this.seen.get(userId) ?? []).filter((t) => t > hourAgo);
    if (recent.length >= this.perHour) {
      const retry = Math.ceil((recent[0] + 3_600_000 - now) / 1000);
      throw new DomainException(
        429,
        HouseholdError.IdSearchLimit,
        `按身份证号查找每小时最多 ${this.perHour} 次, 请 ${retry} 秒后再试`,
        { retryAfterSeconds: retry },
      );
    }
    recent.push(now);
    this.seen.set(userId, recent);
  }
}
