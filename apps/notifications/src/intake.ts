import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  CampaignSubjects,
  CaseSubjects,
  NoticeSubjects,
  parseEventPayload,
  RevisitSubjects,
  Streams,
  TaskSubjects,
  TriageSubjects,
  type ParsedEvent,
  type TaskEventData,
} from '@jingzhun/contracts';
import { parentCodeOf } from '@jingzhun/domain';
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
    const plans = this.plan(parsed);
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

  private plan(e: ParsedEvent): Planned[] {
    switch (e.subject) {
      case TaskSubjects.opened:
      case RevisitSubjects.opened:
        return [this.taskPlan(e.subject, e.data, `opened:${e.data.assigneeId ?? ''}`, templates.opened, [], null)];
      case TaskSubjects.reminder:
      case RevisitSubjects.reminder:
        return [this.taskPlan(e.subject, e.data, 'reminder', templates.reminder, ['sms'], null)];
      case TaskSubjects.overdue:
      case RevisitSubjects.overdue:
        return [this.taskPlan(e.subject, e.data, 'overdue', templates.overdue, ['sms'], null)];
      case TaskSubjects.escalated:
      case RevisitSubjects.escalated: {
        const to = e.data.escalatedTo;
        return to
          ? [
              this.taskPlan(e.subject, e.data, `escalated:${to.role}`, templates.escalated, ['sms', 'email'], {
                role: to.role,
                regionCode: to.regionCode,
              }),
            ]
          : [];
      }
      case RevisitSubjects.recorded: {
        const d = e.data;
        return d.risky
          ? [
              {
                audience: { role: 'village', regionCode: d.villageCode },
                kind: e.subject,
                dedupeKey: `visit:${d.visitId}`,
                text: templates.revisitRisk(d),
                link: { householdId: d.householdId, householdNumber: d.householdNumber },
                channels: [],
              },
            ]
          : [];
      }
      case NoticeSubjects.published: {
        const d = e.data;
        return [
          {
            audience: { role: 'village', regionCode: d.regionCode },
            kind: e.subject,
            dedupeKey: `notice:${d.noticeId}`,
            text: templates.noticePublished(d),
            link: { noticeId: d.noticeId, caseId: d.caseId },
            channels: [],
          },
        ];
      }
      case CaseSubjects.late: {
        const d = e.data;
        return [
          {
            audience: { role: 'county', regionCode: d.countyCode },
            kind: e.subject,
            dedupeKey: `late:${d.caseId}`,
            text: templates.caseLate(d),
            link: { caseId: d.caseId, householdId: d.householdId },
            channels: ['email'],
          },
        ];
      }
      case CampaignSubjects.villageLate: {
        const d = e.data;
        const channels: Channel[] = d.event === 'reminder' ? [] : d.event === 'overdue' ? ['sms'] : ['sms', 'email'];
        return [
          {
            audience: d.audience,
            kind: e.subject,
            dedupeKey: `campaign:${d.caseId}:${d.event}:${d.villageCode}`,
            text: templates.campaignLate(d),
            link: { caseId: d.caseId, villageCode: d.villageCode },
            channels,
          },
        ];
      }
      case TriageSubjects.opened: {
        const d = e.data;
        const region = d.villageCode ? (parentCodeOf(d.villageCode) ?? d.villageCode) : d.countyCode;
        if (!region) return [];
        const role = d.villageCode ? 'township' : 'county';
        return [
          {
            audience: { role, regionCode: region },
            kind: e.subject,
            dedupeKey: `alert:${d.alertId}`,
            text: templates.alertTriage(d),
            link: { alertId: d.alertId, householdId: d.householdId, householdNumber: d.householdNumber },
            channels: [],
          },
        ];
      }
      default:
        return [];
    }
  }

  /** A notice to whoever owes the task (its one assignee, or the role at the region), or to `escalatedTo`. */
  private taskPlan(
    subject: string,
    d: TaskEventData,
    stage: string,
    text: (f: TaskFacts) => Planned['text'],
    channels: Channel[],
    escalatedTo: Audience | null,
  ): Planned {
    const owner: Audience = d.assigneeId
      ? { userId: d.assigneeId, regionHint: d.regionCode }
      : { role: d.role, regionCode: d.regionCode };
    const facts: TaskFacts = { step: d.step, householdNumber: d.householdNumber, dueAt: d.dueAt };
    const link = {
      taskId: d.taskId,
      caseId: d.caseId,
      householdId: d.householdId,
      householdNumber: d.householdNumber,
      dueAt: d.dueAt,
    };
    return {
      audience: escalatedTo ?? owner,
      kind: subject,
      dedupeKey: `${d.taskId}:${stage}`,
      text: text(facts),
      link,
      channels,
    };
  }

  /**
   * Open items per cadre, for the daily digest: a task's opening sets them to exactly its owners (a
   * reassigned revisit moves to its new helper), its closing removes them; other events leave them.
   */
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
