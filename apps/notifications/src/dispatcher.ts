import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { SpanKind } from '@opentelemetry/api';
import { CONFIG, inSpan, MetricsService, storedTraceHeaders, type NotificationsConfig } from '@jingzhun/platform';
import { sendSms } from './channels/sms-gateway';
import { SmtpChannel } from './channels/smtp';
import { NotifyPrisma } from './prisma.service';
import { inQuietHours, quietHoursEnd } from './quiet-hours';

/** Deliveries leased per pass, and sent at once (the gateway takes concurrent requests). */
const LEASE = 500;
const SEND_AT_ONCE = 50;

interface DueDelivery {
  id: string;
  channel: string;
  address: string;
  text: string;
  subject: string | null;
  attempts: number;
  trace_context: string | null;
}

/**
 * Sends pending deliveries: leased in batches (FOR UPDATE SKIP LOCKED, so several instances share
 * the work), retried with exponential backoff on a channel failure, FAILED after the last attempt.
 * An SMS whose turn comes in quiet hours waits for the morning (deferred, not dropped).
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(Dispatcher.name);
  private readonly smtp: SmtpChannel | null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  /** The clock (tests move it to check quiet hours). */
  now: () => Date = () => new Date();

  /** Deliveries by channel and result: sent, deferred (quiet hours), retry, failed (gave up). */
  private readonly outcomes: Counter<'channel' | 'result'>;

  constructor(
    private readonly prisma: NotifyPrisma,
    @Inject(CONFIG) private readonly config: NotificationsConfig,
    metrics: MetricsService,
  ) {
    this.smtp = config.SMTP_URL ? new SmtpChannel(config.SMTP_URL, config.SMTP_FROM) : null;
    this.outcomes = metrics.counter('jingzhun_deliveries_total', 'Channel deliveries by channel and result', [
      'channel',
      'result',
    ]);
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      if (this.stopped) return;
      let leased = 0;
      this.running = this.runOnce()
        .then((n) => (leased = n))
        .catch((err) => this.log.warn(`dispatch cycle failed: ${(err as Error).message}`))
        .finally(() => {
          // A full lease means more is waiting: go on at once instead of sleeping a poll interval.
          if (!this.stopped) this.timer = setTimeout(tick, leased >= LEASE ? 0 : this.config.DISPATCH_POLL_MS);
        });
    };
    tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.smtp?.close();
  }

  /** One pass: lease up to LEASE due deliveries, send them (SEND_AT_ONCE at a time), record the outcomes. */
  async runOnce(): Promise<number> {
    const now = this.now();
    const due = await this.prisma.$queryRaw<DueDelivery[]>`
      UPDATE delivery SET leased_until = ${new Date(now.getTime() + 60_000)}
       WHERE id IN (SELECT id FROM delivery
                     WHERE status = 'PENDING' AND next_attempt_at <= ${now} AND (leased_until IS NULL OR leased_until < ${now})
                     ORDER BY next_attempt_at LIMIT ${LEASE} FOR UPDATE SKIP LOCKED)
       RETURNING id, channel, address, text, subject, attempts, trace_context`;
    const sent: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(SEND_AT_ONCE, due.length) }, async () => {
        while (next < due.length) {
          const d = due[next++];
          // A span of the trace that wrote the delivery (the event's, from the decision on).
          if (
            await inSpan(
              `deliver ${d.channel}`,
              {
                kind: SpanKind.CLIENT,
                parent: () => storedTraceHeaders(d.trace_context),
                attributes: { 'jingzhun.channel': d.channel, 'jingzhun.attempt': d.attempts + 1 },
              },
              () => this.deliver(d, now),
            )
          )
            sent.push(d.id);
        }
      }),
    );
    // The sent ones in one statement; deferrals and failures were recorded one by one (they are few).
    if (sent.length > 0) {
      await this.prisma.$executeRaw`
        UPDATE delivery SET status = 'SENT', sent_at = now(), attempts = attempts + 1, leased_until = NULL, last_error = NULL WHERE id = ANY(${sent}::uuid[])`;
    }
    return due.length;
  }

  /** Sends one delivery; true when it went out (the caller records it), false when deferred or failed (recorded here). */
  private async deliver(d: DueDelivery, now: Date): Promise<boolean> {
    if (d.channel === 'sms' && inQuietHours(now, this.config.QUIET_HOURS)) {
      await this.prisma.delivery.update({
        where: { id: d.id },
        data: { nextAttemptAt: quietHoursEnd(now, this.config.QUIET_HOURS), deferred: true, leasedUntil: null },
      });
      this.outcomes.inc({ channel: d.channel, result: 'deferred' });
      return false;
    }
    try {
      if (d.channel === 'sms') {
        if (!this.config.SMS_GATEWAY_URL) throw new Error('SMS gateway not configured');
        await sendSms(this.config.SMS_GATEWAY_URL, this.config.SMS_GATEWAY_SECRET, {
          id: d.id,
          to: d.address,
          text: d.text,
        });
      } else {
        if (!this.smtp) throw new Error('SMTP not configured');
        await this.smtp.send({ id: d.id, to: d.address, subject: d.subject ?? '精准通知', text: d.text });
      }
      this.outcomes.inc({ channel: d.channel, result: 'sent' });
      return true;
    } catch (err) {
      const attempts = d.attempts + 1;
      const last = attempts >= this.config.DELIVERY_MAX_ATTEMPTS;
      const delay = Math.min(this.config.DELIVERY_BACKOFF_MS * 2 ** (attempts - 1), 10 * 60_000);
      const reason = (err as Error).message.slice(0, 300);
      this.log.warn(
        `delivery ${d.id} (${d.channel}) attempt ${attempts} failed: ${reason}${last ? '; giving up' : ''}`,
      );
      await this.prisma.delivery.update({
        where: { id: d.id },
        data: {
          attempts,
          status: last ? 'FAILED' : 'PENDING',
          nextAttemptAt: new Date(now.getTime() + delay),
          lastError: reason,
          leasedUntil: null,
        },
      });
      this.outcomes.inc({ channel: d.channel, result: last ? 'failed' : 'retry' });
      return false;
    }
  }
}
