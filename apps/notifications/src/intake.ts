import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CaseSubjects, NoticeSubjects, parseEventPayload, RevisitSubjects, Streams, TaskSubjects, TriageSubjects, type ParsedEvent, type TaskEventData } from '@jingzhun/contracts';
import { parentCodeOf } from '@jingzhun/domain';
import { CONFIG, JetStreamService, PG_POOL, uuidv7, type EventEnvelope, type NotificationsConfig } from '@jingzhun/platform';
import type { Pool, PoolClient } from 'pg';
import { inQuietHours, quietHoursEnd } from './quiet-hours';
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
  // Each event is its own transaction and every write is keyed (event id, user + stage): safe in parallel.
  concurrency: 16,
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
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly directory: RecipientDirectory,
    private readonly nats: JetStreamService,
    @Inject(CONFIG) private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const spec of CONSUMERS) this.nats.consume(spec, async (e) => void (await this.handle(e)));
  }

  /**
   * One event, one transaction on a plain pg connection (the hot path: Prisma's per-query cost
   * was most of it). Recipients are resolved before the transaction (HTTP to the registry on a miss).
   */
  async handle(event: EventEnvelope): Promise<'handled' | 'duplicate'> {
    const seen = await this.pool.query('SELECT 1 FROM processed_event WHERE event_id = $1', [event.id]);
    if (seen.rowCount) return 'duplicate';
    // Every subject's payload has a schema in contracts: a wrong shape is refused here (and redelivered to the DLQ), not half-handled.
    const parsed = parseEventPayload(event.subject, event.data);
    const plans = this.plan(event, parsed);
    const resolved = await Promise.all(plans.map(async (p) => ({ plan: p, to: await this.directory.resolve(p.audience) })));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query('INSERT INTO processed_event (event_id, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING', [event.id, event.subject]);
      if (inserted.rowCount === 0) {
        await client.query('ROLLBACK');
        return 'duplicate';
      }
      await this.bookkeep(client, parsed, resolved);
      for (const { plan, to } of resolved) for (const r of to) await this.notify(client, event, plan, r);
      await client.query('COMMIT');
      return 'handled';
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private plan(event: EventEnvelope, e: ParsedEvent): Planned[] {
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
        return to ? [this.taskPlan(e.subject, e.data, `escalated:${to.role}`, templates.escalated, ['sms', 'email'], { role: to.role, regionCode: to.regionCode })] : [];
      }
      case RevisitSubjects.recorded: {
        const d = e.data;
        return d.risky ? [{ audience: { role: 'village', regionCode: d.villageCode }, kind: e.subject, dedupeKey: `visit:${d.visitId}`, text: templates.revisitRisk(d), link: { householdId: d.householdId, householdNumber: d.householdNumber }, channels: [] }] : [];
      }
      case NoticeSubjects.published: {
        const d = e.data;
        return [{ audience: { role: 'village', regionCode: d.regionCode }, kind: e.subject, dedupeKey: `notice:${d.noticeId}`, text: templates.noticePublished(d), link: { noticeId: d.noticeId, caseId: d.caseId }, channels: [] }];
      }
      case CaseSubjects.late: {
        const d = e.data;
        return [{ audience: { role: 'county', regionCode: d.countyCode }, kind: e.subject, dedupeKey: `late:${d.caseId}`, text: templates.caseLate(d), link: { caseId: d.caseId, householdId: d.householdId }, channels: ['email'] }];
      }
      case TriageSubjects.opened: {
        const d = e.data;
        const region = d.villageCode ? (parentCodeOf(d.villageCode) ?? d.villageCode) : d.countyCode;
        if (!region) return [];
        const role = d.villageCode ? 'township' : 'county';
        return [{ audience: { role, regionCode: region }, kind: e.subject, dedupeKey: `alert:${d.alertId}`, text: templates.alertTriage(d), link: { alertId: d.alertId, householdId: d.householdId, householdNumber: d.householdNumber }, channels: [] }];
      }
      default:
        void event;
        return [];
    }
  }

  /** A notice to whoever owes the task (its one assignee, or the role at the region), or to `escalatedTo`. */
  private taskPlan(subject: string, d: TaskEventData, stage: string, text: (f: TaskFacts) => Planned['text'], channels: Channel[], escalatedTo: Audience | null): Planned {
    const owner: Audience = d.assigneeId ? { userId: d.assigneeId, regionHint: d.regionCode } : { role: d.role, regionCode: d.regionCode };
    const facts: TaskFacts = { step: d.step, householdNumber: d.householdNumber, dueAt: d.dueAt };
    const link = { taskId: d.taskId, caseId: d.caseId, householdId: d.householdId, householdNumber: d.householdNumber, dueAt: d.dueAt };
    return { audience: escalatedTo ?? owner, kind: subject, dedupeKey: `${d.taskId}:${stage}`, text: text(facts), link, channels };
  }

  /** Open items per cadre, for the daily digest: added when a task opens, removed when it closes. */
  private async bookkeep(db: PoolClient, e: ParsedEvent, resolved: { plan: Planned; to: RecipientRow[] }[]): Promise<void> {
    if (e.subject === TaskSubjects.opened || e.subject === RevisitSubjects.opened) {
      const d = e.data;
      await db.query('DELETE FROM open_item WHERE task_id = $1', [d.taskId]); // a reassigned revisit re-opens for its new helper
      const users = [...new Set(resolved.flatMap(({ to }) => to.map((r) => r.id)))];
      if (users.length > 0) {
        await db.query(
          `INSERT INTO open_item (task_id, user_id, due_at, household_number, step) SELECT $1, u, $2, $3, $4 FROM unnest($5::text[]) AS u ON CONFLICT DO NOTHING`,
          [d.taskId, new Date(d.dueAt), d.householdNumber, d.step, users],
        );
      }
    }
    if (e.subject === TaskSubjects.decided || e.subject === TaskSubjects.cancelled || e.subject === RevisitSubjects.decided || e.subject === RevisitSubjects.cancelled) {
      await db.query('DELETE FROM open_item WHERE task_id = $1', [e.data.taskId]);
    }
  }

  /** The inbox entry and its channel deliveries in one statement; nothing if this stage already reached this person. */
  private async notify(db: PoolClient, event: EventEnvelope, plan: Planned, r: RecipientRow): Promise<void> {
    const now = this.now();
    const deliveries: { id: string; channel: Channel; address: string; subject: string | null; next: string; deferred: boolean }[] = [];
    for (const channel of plan.channels) {
      const address = channel === 'sms' ? r.phone : r.email;
      if (!address) continue;
      if (channel === 'sms' && !this.config.SMS_GATEWAY_URL) continue;
      if (channel === 'email' && !this.config.SMTP_URL) continue;
      const quiet = channel === 'sms' && inQuietHours(now, this.config.QUIET_HOURS);
      deliveries.push({ id: uuidv7(), channel, address, subject: channel === 'email' ? plan.text.title : null, next: (quiet ? quietHoursEnd(now, this.config.QUIET_HOURS) : now).toISOString(), deferred: quiet });
    }
    await db.query(
      `WITH n AS (
         INSERT INTO notification (id, user_id, dedupe_key, event_id, kind, title, body, link)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
         ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id)
       INSERT INTO delivery (id, notification_id, channel, address, text, subject, next_attempt_at, deferred)
       SELECT d.id, n.id, d.channel, d.address, $7, d.subject, d.next, d.deferred
         FROM n, jsonb_to_recordset($9::jsonb) AS d(id uuid, channel text, address text, subject text, next timestamptz, deferred boolean)`,
      [uuidv7(), r.id, plan.dedupeKey, event.id, plan.kind, plan.text.title, plan.text.body, JSON.stringify(plan.link), JSON.stringify(deliveries)],
    );
  }
}
