import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CaseSubjects, NoticeSubjects, RevisitSubjects, Streams, TaskSubjects, TriageSubjects } from '@jingzhun/contracts';
import { parentCodeOf } from '@jingzhun/domain';
import { CONFIG, JetStreamService, uuidv7, type EventEnvelope, type NotificationsConfig } from '@jingzhun/platform';
import { inQuietHours, quietHoursEnd } from './quiet-hours';
import { NotifyPrisma, type NotifyTx } from './prisma.service';
import { RecipientDirectory, type Audience, type RecipientRow } from './recipients';
import { templates, type TaskFacts } from './templates';

type Channel = 'sms' | 'email';

interface Planned {
  audience: Audience;
  kind: string;
  /** Per recipient: the same key twice is one notification (one reminder per task per stage). */
  dedupeKey: string;
  text: { title: string; body: string };
  link: Record<string, unknown>;
  channels: Channel[];
}

const durable = (stream: string, subject: string) => ({
  stream,
  durable: `notifications-${subject.split('.')[0]}${subject.startsWith('alerts') ? '-triage' : ''}`,
  filterSubjects: [subject],
  maxDeliver: 20,
  ackWaitSeconds: 30,
  backoffMs: [1000, 5000, 15000, 30000],
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

  constructor(
    private readonly prisma: NotifyPrisma,
    private readonly directory: RecipientDirectory,
    private readonly nats: JetStreamService,
    @Inject(CONFIG) private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const spec of CONSUMERS) this.nats.consume(spec, async (e) => void (await this.handle(e)));
  }

  async handle(event: EventEnvelope): Promise<'handled' | 'duplicate'> {
    if (await this.prisma.processedEvent.findUnique({ where: { eventId: event.id } })) return 'duplicate';
    const plans = this.plan(event);
    // Recipients are resolved before the transaction (HTTP to the registry on a cache miss).
    const resolved = await Promise.all(plans.map(async (p) => ({ plan: p, to: await this.directory.resolve(p.audience) })));
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`INSERT INTO processed_event (event_id, subject) VALUES (${event.id}::uuid, ${event.subject}) ON CONFLICT DO NOTHING`;
      if (inserted === 0) return 'duplicate' as const;
      await this.bookkeep(tx, event, resolved);
      for (const { plan, to } of resolved) for (const r of to) await this.notify(tx, event, plan, r);
      return 'handled' as const;
    });
  }

  private plan(event: EventEnvelope): Planned[] {
    const d = event.data as Record<string, any>;
    const facts: TaskFacts = { step: String(d.step ?? ''), householdNumber: (d.householdNumber as string) ?? null, dueAt: String(d.dueAt ?? event.occurredAt) };
    const link = { taskId: d.taskId, caseId: d.caseId, householdId: d.householdId, householdNumber: d.householdNumber ?? null, dueAt: d.dueAt };
    const owner: Audience = d.assigneeId ? { userId: d.assigneeId, regionHint: d.regionCode } : { role: d.role, regionCode: d.regionCode };
    const escalatedTo: Audience | null = d.escalatedTo ? { role: d.escalatedTo.role, regionCode: d.escalatedTo.regionCode } : null;
    const key = (stage: string) => `${d.taskId}:${stage}`;
    switch (event.subject) {
      case TaskSubjects.opened:
      case RevisitSubjects.opened:
        return [{ audience: owner, kind: event.subject, dedupeKey: key(`opened:${d.assigneeId ?? ''}`), text: templates.opened(facts), link, channels: [] }];
      case TaskSubjects.reminder:
      case RevisitSubjects.reminder:
        return [{ audience: owner, kind: event.subject, dedupeKey: key('reminder'), text: templates.reminder(facts), link, channels: ['sms'] }];
      case TaskSubjects.overdue:
      case RevisitSubjects.overdue:
        return [{ audience: owner, kind: event.subject, dedupeKey: key('overdue'), text: templates.overdue(facts), link, channels: ['sms'] }];
      case TaskSubjects.escalated:
      case RevisitSubjects.escalated:
        return escalatedTo ? [{ audience: escalatedTo, kind: event.subject, dedupeKey: key(`escalated:${d.escalatedTo.role}`), text: templates.escalated(facts), link, channels: ['sms', 'email'] }] : [];
      case RevisitSubjects.recorded:
        return d.risky ? [{ audience: { role: 'village', regionCode: d.villageCode }, kind: event.subject, dedupeKey: `visit:${d.visitId}`, text: templates.revisitRisk(d as never), link: { householdId: d.householdId, householdNumber: d.householdNumber }, channels: [] }] : [];
      case NoticeSubjects.published:
        return [{ audience: { role: 'village', regionCode: d.regionCode }, kind: event.subject, dedupeKey: `notice:${d.noticeId}`, text: templates.noticePublished(d as never), link: { noticeId: d.noticeId, caseId: d.caseId }, channels: [] }];
      case CaseSubjects.late:
        return [{ audience: { role: 'county', regionCode: d.countyCode }, kind: event.subject, dedupeKey: `late:${d.caseId}`, text: templates.caseLate(d as never), link: { caseId: d.caseId, householdId: d.householdId }, channels: ['email'] }];
      case TriageSubjects.opened: {
        const region = d.villageCode ? (parentCodeOf(d.villageCode) ?? d.villageCode) : d.countyCode;
        const role = d.villageCode ? 'township' : 'county';
        return [{ audience: { role, regionCode: region }, kind: event.subject, dedupeKey: `alert:${d.alertId}`, text: templates.alertTriage(d as never), link: { alertId: d.alertId, householdId: d.householdId ?? null, householdNumber: d.householdNumber ?? null }, channels: [] }];
      }
      default:
        return [];
    }
  }

  /** Open items per cadre, for the daily digest: added when a task opens, removed when it closes. */
  private async bookkeep(tx: NotifyTx, event: EventEnvelope, resolved: { plan: Planned; to: RecipientRow[] }[]): Promise<void> {
    const d = event.data as Record<string, any>;
    if (event.subject === TaskSubjects.opened || event.subject === RevisitSubjects.opened) {
      await tx.openItem.deleteMany({ where: { taskId: d.taskId } }); // a reassigned revisit re-opens for its new helper
      for (const { to } of resolved) {
        for (const r of to) {
          await tx.openItem.createMany({ data: [{ taskId: d.taskId, userId: r.id, dueAt: new Date(d.dueAt), householdNumber: d.householdNumber ?? null, step: d.step }], skipDuplicates: true });
        }
      }
    }
    const closed: string[] = [TaskSubjects.decided, TaskSubjects.cancelled, RevisitSubjects.decided, RevisitSubjects.cancelled];
    if (closed.includes(event.subject)) await tx.openItem.deleteMany({ where: { taskId: d.taskId } });
  }

  private async notify(tx: NotifyTx, event: EventEnvelope, plan: Planned, r: RecipientRow): Promise<void> {
    const id = uuidv7();
    const inserted = await tx.$executeRaw`
      INSERT INTO notification (id, user_id, dedupe_key, event_id, kind, title, body, link)
      VALUES (${id}::uuid, ${r.id}, ${plan.dedupeKey}, ${event.id}::uuid, ${plan.kind}, ${plan.text.title}, ${plan.text.body}, ${JSON.stringify(plan.link)}::jsonb)
      ON CONFLICT (user_id, dedupe_key) DO NOTHING`;
    if (inserted === 0) return; // this stage already reached this person
    const now = this.now();
    for (const channel of plan.channels) {
      const address = channel === 'sms' ? r.phone : r.email;
      if (!address) continue;
      if (channel === 'sms' && !this.config.SMS_GATEWAY_URL) continue;
      if (channel === 'email' && !this.config.SMTP_URL) continue;
      const quiet = channel === 'sms' && inQuietHours(now, this.config.QUIET_HOURS);
      await tx.delivery.create({
        data: {
          id: uuidv7(),
          notificationId: id,
          channel,
          address,
          text: plan.text.body,
          subject: channel === 'email' ? plan.text.title : null,
          nextAttemptAt: quiet ? quietHoursEnd(now, this.config.QUIET_HOURS) : now,
          deferred: quiet,
        },
      });
    }
  }
}
