import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { parseEventPayload, RevisitSubjects, Streams, TaskSubjects, type ParsedEvent } from '@jingzhun/contracts';
import {
  CONFIG,
  JetStreamService,
  outboxTraceContext,
  uuidv7,
  type EventEnvelope,
  type NotificationsConfig,
} from '@jingzhun/platform';
import { IntakeStore, type EventWrite } from './intake.store';
import { inQuietHours, quietHoursEnd } from './quiet-hours';
import { WriteBatcher } from './write-batcher';
import { RecipientDirectory, type RecipientRow } from './recipients';
import { type Channel, planNotifications, type Planned } from './intake-plan';

const durable = (stream: string, subject: string) => ({
  stream,
  durable: `notifications-${subject.split('.')[0]}${subject.startsWith('alerts') ? '-triage' : ''}`,
  filterSubjects: [subject],
  maxDeliver: 20,
  ackWaitSeconds: 30,
  backoffMs: [1000, 5000, 15000, 30000],
  // Every write is keyed (event id, user + stage): safe in parallel, and the batcher gathers what arrives together.
  concurrency: 64,
});

/** One durable consumer per subject family (one filter each: works on every JetStream server version). */
export const CONSUMERS = [
  durable(Streams.tasks.name, 'tasks.>'),
  durable(Streams.tasks.name, 'notices.>'),
  durable(Streams.tasks.name, 'cases.>'),
  durable(Streams.tasks.name, 'revisits.>'),
  durable(Streams.alerts.name, 'alerts.triage.>'),
];

/**
 * Turns task, notice, revisit, case and triage events into inbox entries and channel deliveries.
 * One transaction per event: the processed-event row, the notifications, the deliveries and the
 * open-item bookkeeping; a redelivered event finds its row and does nothing, and the unique
 * (user, dedupe key) keeps a second event of the same stage from notifying twice.
 */
@Injectable()
export class EventIntake implements OnApplicationBootstrap {
  /** The clock that decides quiet hours at intake (tests set it). */
  now: () => Date = () => new Date();

  private readonly batcher: WriteBatcher;

  constructor(
    private readonly store: IntakeStore,
    private readonly directory: RecipientDirectory,
    private readonly nats: JetStreamService,
    @Inject(CONFIG) private readonly config: NotificationsConfig,
  ) {
    this.batcher = new WriteBatcher(store);
  }

  onApplicationBootstrap(): void {
    for (const spec of CONSUMERS) this.nats.consume(spec, async (e) => void (await this.handle(e)));
  }

  /**
   * One event: its payload parsed, its audience resolved (HTTP to the registry on a miss), then its
   * rows written in one statement (IntakeStore). Events that change no open items are written
   * together with the others that arrive in the same turn of the event loop: one statement for a
   * wave of reminders instead of one per reminder. A redelivered event (its processed row exists)
   * writes nothing and answers 'duplicate'.
   */
  async handle(event: EventEnvelope): Promise<'handled' | 'duplicate'> {
    // Every subject's payload has a schema in contracts: a wrong shape is refused here (and redelivered to the DLQ), not half-handled.
    const parsed = parseEventPayload(event.subject, event.data);
    const plans = planNotifications(parsed);
    const resolved = await Promise.all(
      plans.map(async (p) => ({ plan: p, to: await this.directory.resolve(p.audience) })),
    );
    const write: EventWrite = {
      eventId: event.id,
      subject: event.subject,
      notifications: [],
      deliveries: [],
      openItems: this.openItems(parsed, resolved),
    };
    const trace = outboxTraceContext(); // the consumer's span: each delivery's send joins the event's trace
    for (const { plan, to } of resolved) {
      for (const r of to) {
        const id = uuidv7();
        write.notifications.push({
          id,
          user_id: r.id,
          dedupe_key: plan.dedupeKey,
          kind: plan.kind,
          title: plan.text.title,
          body: plan.text.body,
          link: plan.link,
        });
        for (const d of this.deliveriesFor(plan, r))
          write.deliveries.push({ ...d, notification_id: id, text: plan.text.body, trace_context: trace });
      }
    }
    if (write.openItems) return (await this.store.writeOne(write)) ? 'handled' : 'duplicate';
    return this.batcher.add(write);
  }

  private openItems(e: ParsedEvent, resolved: { plan: Planned; to: RecipientRow[] }[]): EventWrite['openItems'] {
    if (e.subject === TaskSubjects.opened || e.subject === RevisitSubjects.opened) {
      const d = e.data;
      return {
        taskId: d.taskId,
        users: [...new Set(resolved.flatMap(({ to }) => to.map((r) => r.id)))],
        dueAt: d.dueAt,
        householdNumber: d.householdNumber,
        step: d.step,
      };
    }
    if (
      e.subject === TaskSubjects.decided ||
      e.subject === TaskSubjects.cancelled ||
      e.subject === RevisitSubjects.decided ||
      e.subject === RevisitSubjects.cancelled
    ) {
      return { taskId: e.data.taskId, users: [], dueAt: null, householdNumber: null, step: null };
    }
    return null;
  }

  /** The channel deliveries of one notification: SMS waits out quiet hours; a channel without an address or a gateway is skipped. */
  private deliveriesFor(plan: Planned, r: RecipientRow) {
    const now = this.now();
    const out: {
      id: string;
      channel: Channel;
      address: string;
      subject: string | null;
      next: string;
      deferred: boolean;
    }[] = [];
    for (const channel of plan.channels) {
      const address = channel === 'sms' ? r.phone : r.email;
      if (!address) continue;
      if (channel === 'sms' && !this.config.SMS_GATEWAY_URL) continue;
      if (channel === 'email' && !this.config.SMTP_URL) continue;
      const quiet = channel === 'sms' && inQuietHours(now, this.config.QUIET_HOURS);
      out.push({
        id: uuidv7(),
        channel,
        address,
        subject: channel === 'email' ? plan.text.title : null,
        next: (quiet ? quietHoursEnd(now, this.config.QUIET_HOURS) : now).toISOString(),
        deferred: quiet,
      });
    }
    return out;
  }
}
