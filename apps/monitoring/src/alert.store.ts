import { Injectable } from '@nestjs/common';
import {
  type JournalActor,
  type JournalLine,
  type JournalSchema,
  prismaSqlExec,
  writeJournal,
} from '@jingzhun/platform';
import type { Alert, Prisma } from './generated/prisma/client';
import { MonitoringPrisma, type MonitoringTx } from './prisma.service';

/** The monitoring schema's audit has no filing columns: every entry is filed under its alert. */
const MONITORING_JOURNAL: JournalSchema = { service: 'monitoring', filing: [] };
type Actor = JournalActor;

/** The alert table and the alert's trail: the only place the monitoring service reads or writes alerts. */
@Injectable()
export class AlertStore {
  constructor(private readonly prisma: MonitoringPrisma) {}

  /** Writes audit entries and outbox events in the caller's transaction (the platform's one journal writer). */
  journal(tx: MonitoringTx, actor: Actor, lines: JournalLine[]): Promise<void> {
    return writeJournal(prismaSqlExec(tx), MONITORING_JOURNAL, actor, lines);
  }

  /** Stores the alert once per (department, externalId): the one stored first, and whether this call stored it. */
  async receive(
    data: Prisma.AlertUncheckedCreateInput & { id: string; department: string; externalId: string },
    actor: Actor,
    audit: Record<string, unknown>,
  ): Promise<{ alert: Alert; created: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.alert.findUnique({
        where: { department_externalId: { department: data.department, externalId: data.externalId } },
      });
      if (existing) return { alert: existing, created: false };
      const alert = await tx.alert.create({ data });
      await this.journal(tx, actor, [
        { entry: { action: 'alert.received', entity: 'alert', entityId: alert.id, after: audit } },
      ]);
      return { alert, created: true };
    });
  }

  /** Alerts whose evaluation was not started (Temporal away) and that are older than `olderThanMs`. */
  pendingEvaluation(olderThanMs: number, take: number): Promise<Alert[]> {
    return this.prisma.alert.findMany({
      where: { status: 'RECEIVED', createdAt: { lt: new Date(Date.now() - olderThanMs) } },
      take,
    });
  }

  find(id: string): Promise<Alert | null> {
    return this.prisma.alert.findUnique({ where: { id } });
  }

  get(id: string): Promise<Alert> {
    return this.prisma.alert.findUniqueOrThrow({ where: { id } });
  }

  /**
   * Moves an alert on from `from` with its trail, in one transaction; false when someone else moved
   * it first (the caller answers with what is stored now).
   */
  async advance(
    id: string,
    from: string,
    data: Prisma.AlertUncheckedUpdateManyInput,
    actor: Actor,
    lines: JournalLine[],
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.alert.updateMany({ where: { id, status: from }, data });
      if (updated.count === 0) return false;
      await this.journal(tx, actor, lines);
      return true;
    });
  }

  async page(q: { prefix: string; status?: string; page: number; pageSize: number }) {
    const where: Prisma.AlertWhereInput = {
      regionCode: { startsWith: q.prefix },
      ...(q.status ? { status: q.status } : {}),
    };
    const [total, rows] = await Promise.all([
      this.prisma.alert.count({ where }),
      this.prisma.alert.findMany({
        where,
        orderBy: { createdAt: 'desc' },
        skip: (q.page - 1) * q.pageSize,
        take: q.pageSize,
      }),
    ]);
    return { total, rows };
  }

  /** Villages with a disaster reported since `since` (the scan's disaster rule). */
  async disasterVillages(since: Date): Promise<string[]> {
    const rows = await this.prisma.alert.findMany({
      where: { kind: 'disaster', occurredAt: { gte: since }, regionCode: { not: null } },
      select: { regionCode: true },
      distinct: ['regionCode'],
    });
    return rows.map((r) => r.regionCode!).filter((c) => !c.endsWith('000'));
  }
}
