import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@jingzhun/platform';
import type { Pool } from 'pg';

/** What one event writes: its processed row, its notifications and deliveries, and its open-item change. */
export interface EventWrite {
  eventId: string;
  subject: string;
  notifications: {
    id: string;
    user_id: string;
    dedupe_key: string;
    kind: string;
    title: string;
    body: string;
    link: Record<string, unknown>;
  }[];
  deliveries: {
    id: string;
    notification_id: string;
    channel: string;
    address: string;
    text: string;
    subject: string | null;
    next: string;
    deferred: boolean;
    trace_context: string | null;
  }[];
  /** A task's opening sets its open items to `users`; its closing (users empty) removes them; null leaves them. */
  openItems: {
    taskId: string;
    users: string[];
    dueAt: string | null;
    householdNumber: string | null;
    step: string | null;
  } | null;
}

const WRITE_NOTIFICATIONS = `
  n AS (
    INSERT INTO notification (id, user_id, dedupe_key, event_id, kind, title, body, link)
    SELECT x.id, x.user_id, x.dedupe_key, x.event_id, x.kind, x.title, x.body, x.link
      FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, user_id text, dedupe_key text, event_id uuid, kind text, title text, body text, link jsonb)
     WHERE x.event_id IN (SELECT event_id FROM p)
    ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id
  ), d AS (
    INSERT INTO delivery (id, notification_id, channel, address, text, subject, next_attempt_at, deferred, trace_context)
    SELECT y.id, y.notification_id, y.channel, y.address, y.text, y.subject, y.next, y.deferred, y.trace_context
      FROM jsonb_to_recordset($3::jsonb) AS y(id uuid, notification_id uuid, channel text, address text, text text, subject text, next timestamptz, deferred boolean, trace_context text)
      JOIN n ON n.id = y.notification_id
    RETURNING 1
  )`;

/**
 * The notifications intake's SQL, on plain pg (the hot path: README "Data access"). Each write is
 * one statement, so an event's rows commit together without a BEGIN/COMMIT round trip, and an event
 * whose processed row exists (a redelivery) writes nothing.
 */
@Injectable()
export class IntakeStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** One event, with its open-item bookkeeping. True when it was new. */
  async writeOne(w: EventWrite): Promise<boolean> {
    const items = w.openItems;
    const { rows } = await this.pool.query<{ fresh: boolean }>(
      `WITH p AS (
         INSERT INTO processed_event (event_id, subject) VALUES ($1, $4) ON CONFLICT DO NOTHING RETURNING event_id
       ), gone AS (
         DELETE FROM open_item WHERE $5::uuid IS NOT NULL AND task_id = $5::uuid AND EXISTS (SELECT 1 FROM p) AND NOT (user_id = ANY($6::text[]))
         RETURNING 1
       ), kept AS (
         INSERT INTO open_item (task_id, user_id, due_at, household_number, step)
         SELECT $5::uuid, u, $7::timestamptz, $8, $9 FROM unnest($6::text[]) AS u WHERE EXISTS (SELECT 1 FROM p)
         ON CONFLICT (task_id, user_id) DO UPDATE SET due_at = EXCLUDED.due_at, household_number = EXCLUDED.household_number, step = EXCLUDED.step
         RETURNING 1
       ), ${WRITE_NOTIFICATIONS}
       SELECT EXISTS (SELECT 1 FROM p) AS fresh`,
      [
        w.eventId,
        this.notificationsJson([w]),
        JSON.stringify(w.deliveries),
        w.subject,
        items?.taskId ?? null,
        items?.users ?? [],
        items?.dueAt ?? null,
        items?.householdNumber ?? null,
        items?.step ?? null,
      ],
    );
    return rows[0].fresh;
  }

  /**
   * Many events without open-item changes (reminders, overdue notices, escalations, notices, risk
   * clues) in one statement. Returns the ids that were new; the others were redeliveries.
   */
  async writeMany(ws: EventWrite[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ event_id: string }>(
      `WITH p AS (
         INSERT INTO processed_event (event_id, subject)
         SELECT e.id, e.subject FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, subject text)
         ON CONFLICT DO NOTHING RETURNING event_id
       ), ${WRITE_NOTIFICATIONS}
       SELECT event_id::text FROM p`,
      [
        JSON.stringify(ws.map((w) => ({ id: w.eventId, subject: w.subject }))),
        this.notificationsJson(ws),
        JSON.stringify(ws.flatMap((w) => w.deliveries)),
      ],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  private notificationsJson(ws: EventWrite[]): string {
    return JSON.stringify(ws.flatMap((w) => w.notifications.map((n) => ({ ...n, event_id: w.eventId }))));
  }
}
