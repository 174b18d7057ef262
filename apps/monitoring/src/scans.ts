import { Injectable } from '@nestjs/common';
import { TriageSubjects, type MonitoringActivities, type ScanFlag } from '@jingzhun/contracts';
import { AlertsService } from './alerts.service';
import { MonitoringPrisma } from './prisma.service';
import { RiskRules } from './risk-rules';

/**
 * The monthly scan's side: each flagged household becomes one triage item per period
 * (department `scan`, externalId `<period>/<householdId>`: a re-run of the month adds nothing).
 */
@Injectable()
export class ScanActivities {
  constructor(
    private readonly prisma: MonitoringPrisma,
    private readonly rules: RiskRules,
    private readonly alerts: AlertsService,
  ) {}

  activities(): MonitoringActivities {
    return {
      scanRules: (i) => this.rules.scanRules(new Date(i.at)),
      beginScan: (i) => this.begin(i.scanId, i.period),
      recordScanFlags: (i) => this.record(i.scanId, i.period, i.flags, i.scanned),
      finishScan: (i) => this.finish(i.scanId),
      evaluateAlert: (i) => this.alerts.evaluate(i.alertId, i.match),
    };
  }

  async begin(scanId: string, period: string): Promise<void> {
    await this.prisma.scan.upsert({ where: { id: scanId }, create: { id: scanId, period }, update: {} });
  }

  /**
   * One statement per page: the new triage items and their events (same transaction, so the
   * outbox holds exactly the items that were new). A re-run of the month inserts nothing.
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
      const [{ opened }] = await tx.$queryRaw<{ opened: number }[]>`
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS x(household_id uuid, household_number text, village_code text, net_income int, rules jsonb)
        ), ins AS (
          INSERT INTO alert (id, department, external_id, kind, region_code, occurred_at, status, household_id, household_number, rule_hits, risky, received_via, details, updated_at)
          SELECT gen_random_uuid(), 'scan', ${period}::text || '/' || household_id, 'scan', village_code, now(), 'MATCHED', household_id, household_number, rules, true, 'scan', jsonb_build_object('netIncomePerHead', net_income), now()
            FROM input
          ON CONFLICT (department, external_id) DO NOTHING
          RETURNING id, household_id, household_number, region_code
        ), ev AS (SELECT gen_random_uuid() AS eid, ins.* FROM ins), out AS (
          INSERT INTO outbox (id, subject, payload)
          SELECT eid, ${TriageSubjects.opened}::text, jsonb_build_object(
                   'id', eid, 'subject', ${TriageSubjects.opened}::text, 'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'source', 'monitoring',
                   'data', jsonb_build_object('alertId', id, 'kind', 'scan', 'department', 'scan', 'status', 'MATCHED', 'risky', true,
                                              'householdId', household_id, 'householdNumber', household_number, 'villageCode', region_code,
                                              'countyCode', left(region_code, 6) || '000000'))
            FROM ev
          RETURNING 1
        )
        SELECT count(*)::int AS opened FROM out`;
      await tx.scan.update({
        where: { id: scanId },
        data: { scanned: { increment: scanned }, flagged: { increment: opened } },
      });
      return { opened };
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
