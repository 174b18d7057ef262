import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/**
 * The registry's copy of the monitoring service's triage, kept from its events: which department
 * alerts about a household still wait for a decision. Every write is idempotent (keyed by the alert),
 * and a decision seen before its opening still wins (redeliveries may come in any order).
 */
@Injectable()
export class TriageAlertStore {
  constructor(private readonly prisma: PrismaService) {}

  async opened(a: { alertId: string; householdId: string | null; risky: boolean }): Promise<void> {
    await this.prisma.triageAlert.upsert({
      where: { alertId: a.alertId },
      create: a,
      update: { householdId: a.householdId, risky: a.risky },
    });
  }

  async decided(alertId: string): Promise<void> {
    await this.prisma.triageAlert.upsert({
      where: { alertId },
      create: { alertId, decidedAt: new Date() },
      update: { decidedAt: new Date() },
    });
  }

  /** Risky alerts about the household that the triage has not decided yet. */
  async pendingRisky(tx: Tx, householdId: string): Promise<number> {
    return tx.triageAlert.count({ where: { householdId, risky: true, decidedAt: null } });
  }
}
