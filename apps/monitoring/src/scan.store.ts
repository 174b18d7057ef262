import { Injectable } from '@nestjs/common';
import { type ScanFlag, TriageSubjects } from '@jingzhun/contracts';
import { ancestorCode } from '@jingzhun/domain';
import { AlertStore } from './alert.store';
import { MonitoringPrisma } from './prisma.service';

const SCAN_ACTOR = { id: 'system', role: 'admin' };

/** The monthly scan's rows: the scan itself and the triage items (alerts of department `scan`) it opens. */
@Injectable()
export class ScanStore {
  constructor(
    private readonly prisma: MonitoringPrisma,
    private readonly alerts: AlertStore,
  ) {}

  async begin(scanId: string, period: string): Promise<void> {
    await this.prisma.scan.upsert({ where: { id: scanId }, create: { id: scanId, period }, update: {} });
  }

  /**
   * One page of flags: the new triage items in one statement, then their audit entries and events through
   * the journal, in the same transaction (the outbox holds exactly the items that were new). A re-run of
   * the month inserts nothing.
   */
  async record(scanId: string, period: string, flags: ScanFlag[], scanned: number): Promise<{ opened: number }> {
    const input = JSON.stringify(
      flags.map((f) => ({
        household_id: f.householdId,
        household_number: f.householdNumber,
        village_code: f.villageCode,
        net_income: f.netIncomePerHead,
        rules: f.rules.map((code) => ({ code, reason: code })),
      })),
    );
    return this.prisma.$transaction(async (tx) => {
      const opened = await tx.$queryRaw<
        { id: string; household_id: string; household_number: string; region_code: string }[]
      >`
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(${input}::jsonb)
            AS x(household_id uuid, household_number text, village_code text, net_income int, rules jsonb)
        )
        INSERT INTO alert (id, department, external_id, kind, region_code, occurred_at, status, household_id,
                           household_number, rule_hits, risky, received_via, details, updated_at)
        SELECT gen_random_uuid(), 'scan', ${period}::text || '/' || household_id, 'scan', village_code, now(),
               'MATCHED', household_id, household_number, rules, true, 'scan',
               jsonb_build_object('netIncomePerHead', net_income), now()
          FROM input
        ON CONFLICT (department, external_id) DO NOTHING
        RETURNING id::text, household_id::text, household_number, region_code`;
      await this.alerts.journal(
        tx,
        SCAN_ACTOR,
        opened.map((a) => ({
          entry: { action: 'alert.opened', entity: 'alert', entityId: a.id, after: { period, via: 'scan' } },
          event: {
            subject: TriageSubjects.opened,
            data: {
              alertId: a.id,
              kind: 'scan',
              department: 'scan',
              status: 'MATCHED',
              risky: true,
              householdId: a.household_id,
              householdNumber: a.household_number,
              villageCode: a.region_code,
              countyCode: ancestorCode(a.region_code, 'COUNTY'),
            },
          },
        })),
      );
      await tx.scan.update({
        where: { id: scanId },
        data: { scanned: { increment: scanned }, flagged: { increment: opened.length } },
      });
      return { opened: opened.length };
    });
  }

  async finish(scanId: string): Promise<{ scanned: number; flagged: number }> {
    const s = await this.prisma.scan.update({
      where: { id: scanId },
      data: { status: 'FINISHED', finishedAt: new Date() },
    });
    return { scanned: s.scanned, flagged: s.flagged };
  }
}
