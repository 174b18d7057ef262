import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@jingzhun/contracts';
import {
  type AuditEntry,
  type JournalLine,
  type JournalSchema,
  SERVICE_INFO,
  type ServiceInfo,
  prismaSqlExec,
  writeJournal,
} from '@jingzhun/platform';
import type { Tx } from '../prisma/prisma.service';

export type { AuditEntry, JournalLine };

/** The system itself as the actor (seed, import command, workflow): national scope. */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'admin', regionCode: '000000000000' };

/** The registry's audit files every entry under its household, region and case (the timelines read them). */
export const registryJournal = (service: string): JournalSchema => ({
  service,
  filing: ['household_id', 'region_code', 'case_id'],
});

/**
 * Writes the audit entry and the outbox event of a change inside the caller's transaction, through
 * the platform's one journal writer: either the change, its trail and its event all commit, or none do.
 */
@Injectable()
export class Journal {
  private readonly schema: JournalSchema;

  constructor(@Inject(SERVICE_INFO) info: ServiceInfo) {
    this.schema = registryJournal(info.name);
  }

  recordMany(tx: Tx, actor: Pick<Actor, 'id' | 'role'>, lines: JournalLine[]): Promise<void> {
    return writeJournal(prismaSqlExec(tx), this.schema, actor, lines);
  }

  record(
    tx: Tx,
    actor: Pick<Actor, 'id' | 'role'>,
    entry: AuditEntry,
    event?: { subject: string; data: Record<string, unknown> },
  ): Promise<void> {
    return writeJournal(prismaSqlExec(tx), this.schema, actor, [{ entry, event }]);
  }
}
