import { parseEventPayload } from '@jingzhun/contracts';
import { outboxEvent } from '../outbox/outbox-event';
import { outboxTraceContext } from '../tracing/tracing';

/** One change's audit entry. The registry's trail also files it under a household, a region and a case. */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  householdId?: string | null;
  regionCode?: string | null;
  caseId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface JournalEvent {
  subject: string;
  data: Record<string, unknown>;
}

export interface JournalLine {
  entry: AuditEntry;
  event?: JournalEvent;
}

export interface JournalActor {
  id: string;
  role: string;
}

/**
 * Runs one parameterised statement inside the caller's transaction: a Prisma transaction's
 * `$executeRawUnsafe` or a pg client's `query`, whichever the caller holds.
 */
export type SqlExec = (text: string, values: unknown[]) => Promise<unknown>;

/** A Prisma transaction (any service's client) as the journal's statement runner. */
export const prismaSqlExec =
  (tx: { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> }): SqlExec =>
  (text, values) =>
    tx.$executeRawUnsafe(text, ...values);

/** Which of the audit table's filing columns a service's schema has (the registry's has all three). */
export interface JournalSchema {
  service: string;
  filing: readonly ('household_id' | 'region_code' | 'case_id')[];
}

const FILING_FIELD = { household_id: 'householdId', region_code: 'regionCode', case_id: 'caseId' } as const;
const FILING_CAST = { household_id: '::uuid', region_code: '', case_id: '::uuid' } as const;
/** Rows per statement: far below PostgreSQL's 65 535 parameters for the widest row. */
const CHUNK = 1000;

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/**
 * The one place a service writes a change's trail: its audit entries and its outbox events, in the
 * caller's transaction, so the change, its trail and its events all commit or none do. Each event is
 * checked against its contract first: a wrong shape fails the publisher's transaction, not a consumer.
 */
export async function writeJournal(
  exec: SqlExec,
  schema: JournalSchema,
  actor: JournalActor,
  lines: readonly JournalLine[],
): Promise<void> {
  for (let at = 0; at < lines.length; at += CHUNK) {
    const chunk = lines.slice(at, at + CHUNK);
    await insertAudit(exec, schema, actor, chunk);
    const events = chunk.flatMap((l) => (l.event ? [l.event] : []));
    if (events.length > 0) await insertOutbox(exec, schema.service, events);
  }
}

async function insertAudit(
  exec: SqlExec,
  schema: JournalSchema,
  actor: JournalActor,
  lines: readonly JournalLine[],
): Promise<void> {
  const columns = ['actor_id', 'actor_role', 'action', 'entity', 'entity_id', ...schema.filing, 'before', 'after'];
  const casts = ['', '', '', '', '', ...schema.filing.map((c) => FILING_CAST[c]), '::jsonb', '::jsonb'];
  const values: unknown[] = [];
  const rows = lines.map(({ entry }) => {
    const row = [
      actor.id,
      actor.role,
      entry.action,
      entry.entity,
      entry.entityId,
      ...schema.filing.map((c) => entry[FILING_FIELD[c]] ?? null),
      json(entry.before),
      json(entry.after),
    ];
    const base = values.length;
    values.push(...row);
    return `(${row.map((_, i) => `$${base + i + 1}${casts[i]}`).join(', ')})`;
  });
  await exec(`INSERT INTO audit (${columns.join(', ')}) VALUES ${rows.join(', ')}`, values);
}

async function insertOutbox(exec: SqlExec, service: string, events: readonly JournalEvent[]): Promise<void> {
  const trace = outboxTraceContext();
  const values: unknown[] = [];
  const rows = events.map((event) => {
    parseEventPayload(event.subject, event.data);
    const envelope = outboxEvent(service, event.subject, event.data);
    const base = values.length;
    values.push(envelope.id, envelope.subject, JSON.stringify(envelope), trace);
    return `($${base + 1}::uuid, $${base + 2}, $${base + 3}::jsonb, $${base + 4})`;
  });
  await exec(`INSERT INTO outbox (id, subject, payload, trace_context) VALUES ${rows.join(', ')}`, values);
}
