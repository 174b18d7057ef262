import { Inject, Injectable } from '@nestjs/common';
import { parseEventPayload, type Actor } from '@jingzhun/contracts';
import { outboxEvent, outboxTraceContext, SERVICE_INFO, type ServiceInfo } from '@jingzhun/platform';
import type { Prisma } from '../generated/prisma/client';
import type { Tx } from '../prisma/prisma.service';

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

/** The system itself as the actor (seed, import command, workflow): national scope. */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'admin', regionCode: '000000000000' };

/**
 * Writes the audit entry and the outbox event of a change inside the caller's transaction:
 * either the change, its trail and its event all commit, or none of them do.
 */
@Injectable()
export class Journal {
  constructor(@Inject(SERVICE_INFO) private readonly info: ServiceInfo) {}

  async recordMany(tx: Tx, actor: Pick<Actor, 'id' | 'role'>, lines: JournalLine[]): Promise<void> {
    if (lines.length === 0) return;
    await tx.audit.createMany({ data: lines.map(({ entry }) => auditRow(actor, entry)) });
    const events = lines.flatMap((l) => (l.event ? [l.event] : []));
    const trace = outboxTraceContext();
    await tx.outbox.createMany({
      data: events.map((event) => {
        parseEventPayload(event.subject, event.data);
        const envelope = outboxEvent(this.info.name, event.subject, event.data);
        return {
          id: envelope.id,
          subject: envelope.subject,
          payload: envelope as unknown as Prisma.InputJsonValue,
          traceContext: trace,
        };
      }),
    });
  }

  async record(
    tx: Tx,
    actor: Pick<Actor, 'id' | 'role'>,
    entry: AuditEntry,
    event?: { subject: string; data: Record<string, unknown> },
  ): Promise<void> {
    await tx.audit.create({ data: auditRow(actor, entry) });
    if (event) {
      parseEventPayload(event.subject, event.data); // a wrong shape fails the publisher's transaction, not a consumer
      const envelope = outboxEvent(this.info.name, event.subject, event.data);
      await tx.outbox.create({
        data: {
          id: envelope.id,
          subject: envelope.subject,
          payload: envelope as unknown as Prisma.InputJsonValue,
          traceContext: outboxTraceContext(),
        },
      });
    }
  }
}

export interface JournalLine {
  entry: AuditEntry;
  event?: { subject: string; data: Record<string, unknown> };
}

/** The audit table's row for an entry (one shape for one change and for a batch). */
function auditRow(actor: Pick<Actor, 'id' | 'role'>, entry: AuditEntry) {
  return {
    actorId: actor.id,
    actorRole: actor.role,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    householdId: entry.householdId ?? null,
    regionCode: entry.regionCode ?? null,
    caseId: entry.caseId ?? null,
    before: toJson(entry.before),
    after: toJson(entry.after),
  };
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
