import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { SpanKind } from '@opentelemetry/api';
import { CONFIG, inSpan, MetricsService, storedTraceHeaders, type NotificationsConfig } from '@jingzhun/platform';
import { sendSms } from './channels/sms-gateway';
import { SmtpChannel } from './channels/smtp';
import { type DueDelivery, DeliveryStore } from './delivery.store';
import { inQuietHours, quietHoursEnd } from './quiet-hours';

/** Deliveries leased per pass, and sent at once (the gateway takes concurrent requests). */
const LEASE = 500;
const SEND_AT_ONCE = 50;

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
    private readonly deliveries: DeliveryStore,
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
    const due = await this.deliveries.lease(now, LEASE);
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
    await this.deliveries.markSent(sent);
    return due.length;
  }

  /** Sends one delivery; true when it went out (the caller records it), false when deferred or failed (recorded here). */
  private async deliver(d: DueDelivery, now: Date): Promise<boolean> {
    if (d.channel === 'sms' && inQuietHours(now, this.config.QUIET_HOURS)) {
      await this.deliveries.defer(d.id, quietHoursEnd(now, this.config.QUIET_HOURS));
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
      await this.deliveries.failed(d.id, { attempts, last, retryAt: new Date(now.getTime() + delay), reason });
      this.outcomes.inc({ channel: d.channel, result: last ? 'failed' : 'retry' });
      return false;
    }
  }
}
