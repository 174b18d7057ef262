import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@jingzhun/platform';
import { NotifyPrisma } from './prisma.service';

export interface DueDelivery {
  id: string;
  channel: string;
  address: string;
  text: string;
  subject: string | null;
  attempts: number;
  trace_context: string | null;
}

/** Deliveries (the dispatcher's queue) and the daily digest's reads and writes. */
@Injectable()
export class DeliveryStore {
  constructor(private readonly prisma: NotifyPrisma) {}

  /** Leases up to `limit` due deliveries for a minute (SKIP LOCKED: two dispatchers never send one twice). */
  lease(now: Date, limit: number): Promise<DueDelivery[]> {
    return this.prisma.$queryRaw<DueDelivery[]>`
      UPDATE delivery SET leased_until = ${new Date(now.getTime() + 60_000)}
       WHERE id IN (SELECT id FROM delivery
                     WHERE status = 'PENDING' AND next_attempt_at <= ${now}
                       AND (leased_until IS NULL OR leased_until < ${now})
                     ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       RETURNING id, channel, address, text, subject, attempts, trace_context`;
  }

  async markSent(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE delivery SET status = 'SENT', sent_at = now(), attempts = attempts + 1, leased_until = NULL,
                          last_error = NULL
       WHERE id = ANY(${ids}::uuid[])`;
  }

  async defer(id: string, until: Date): Promise<void> {
    await this.prisma.delivery.update({
      where: { id },
      data: { nextAttemptAt: until, deferred: true, leasedUntil: null },
    });
  }

  async failed(id: string, f: { attempts: number; last: boolean; retryAt: Date; reason: string }): Promise<void> {
    await this.prisma.delivery.update({
      where: { id },
      data: {
        attempts: f.attempts,
        status: f.last ? 'FAILED' : 'PENDING',
        nextAttemptAt: f.retryAt,
        lastError: f.reason,
        leasedUntil: null,
      },
    });
  }

  /** Users with more than `threshold` open items: how many, and the oldest due date. */
  heavyUsers(threshold: number): Promise<{ user_id: string; n: bigint; oldest: Date }[]> {
    return this.prisma.$queryRaw`
      SELECT user_id, count(*) AS n, min(due_at) AS oldest FROM open_item
       GROUP BY user_id HAVING count(*) > ${threshold}`;
  }

  oldestOpenItems(userId: string, take: number) {
    return this.prisma.openItem.findMany({ where: { userId }, orderBy: { dueAt: 'asc' }, take });
  }

  /**
   * The day's digest for a user, once (dedupe key `digest:<day>`), with its e-mail delivery when the user
   * has an address and `email` is on. False when the day's digest was already written.
   */
  writeDigest(userId: string, day: string, text: { title: string; body: string }, email: boolean): Promise<boolean> {
    return this.writeDaily(userId, `digest:${day}`, 'digest', text, email ? 'email' : null);
  }

  /** Per user, the open revisits due from `from` until `until` (the morning's reminder of the week ahead). */
  dueRevisits(
    from: Date,
    until: Date,
  ): Promise<{ user_id: string; n: bigint; first_due: Date; numbers: (string | null)[] }[]> {
    return this.prisma.$queryRaw`
      SELECT user_id, count(*) AS n, min(due_at) AS first_due,
             (array_agg(household_number ORDER BY due_at))[1:20] AS numbers
        FROM open_item
       WHERE step = 'revisit' AND due_at >= ${from} AND due_at < ${until}
       GROUP BY user_id`;
  }

  /**
   * The day's revisit reminder for a user, once (dedupe key `revisit-reminders:<day>`), in the inbox and
   * by SMS where the user has a phone. False when the day's reminder was already written.
   */
  writeRevisitReminder(userId: string, day: string, text: { title: string; body: string }): Promise<boolean> {
    return this.writeDaily(userId, `revisit-reminders:${day}`, 'revisits.reminder', text, 'sms');
  }

  /** A once-a-day notification (its dedupe key carries the day) and, where the user has the address, its delivery. */
  private async writeDaily(
    userId: string,
    dedupeKey: string,
    kind: string,
    text: { title: string; body: string },
    channel: 'sms' | 'email' | null,
  ): Promise<boolean> {
    const id = uuidv7();
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO notification (id, user_id, dedupe_key, event_id, kind, title, body, link)
      VALUES (${id}::uuid, ${userId}, ${dedupeKey}, ${id}::uuid, ${kind}, ${text.title}, ${text.body}, '{}'::jsonb)
      ON CONFLICT (user_id, dedupe_key) DO NOTHING`;
    if (inserted === 0) return false;
    const r = channel ? await this.prisma.recipient.findUnique({ where: { id: userId } }) : null;
    const address = channel === 'sms' ? r?.phone : r?.email;
    if (channel && address)
      await this.prisma.delivery.create({
        data: {
          id: uuidv7(),
          notificationId: id,
          channel,
          address,
          subject: channel === 'email' ? text.title : null,
          text: text.body,
        },
      });
    return true;
  }
}
