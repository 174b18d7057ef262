import { Injectable } from '@nestjs/common';
import { TriageSubjects, type MonitoringActivities, type ScanFlag } from '@jingzhun/contracts';
import { ancestorCode } from '@jingzhun/domain';
import { uuidv7 } from '@jingzhun/platform';
import type { Prisma } from './generated/prisma/client';
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
      alertIdHash: async (i) => (await this.prisma.alert.findUnique({ where: { id: i.alertId } }))?.idHash ?? null,
    };
  }

  async begin(scanId: string, period: string): Promise<void> {
    await this.prisma.scan.upsert({ where: { id: scanId }, create: { id: scanId, period }, update: {} });
  }

  async record(scanId: string, period: string, flags: ScanFlag[], scanned: number): Promise<{ opened: number }> {
    return this.prisma.$transaction(async (tx) => {
      let opened = 0;
      const now = new Date();
      // One statement for the page; only new rows get an event.
      const rows = flags.map((f) => ({
        id: uuidv7(),
        department: 'scan',
        externalId: `${period}/${f.householdId}`,
        kind: 'scan',
        regionCode: f.villageCode,
        occurredAt: now,
        status: 'MATCHED',
        householdId: f.householdId,
        householdNumber: f.householdNumber,
        ruleHits: f.rules.map((code) => ({ code, reason: code })) as unknown as Prisma.InputJsonValue,
        risky: true,
        receivedVia: 'scan',
        details: { netIncomePerHead: f.netIncomePerHead } as Prisma.InputJsonValue,
      }));
      if (rows.length > 0) {
        const created = await tx.alert.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, householdId: true, householdNumber: true, regionCode: true } });
        opened = created.length;
        for (const c of created) {
          await this.alerts.publish(tx, TriageSubjects.opened, { alertId: c.id, kind: 'scan', department: 'scan', status: 'MATCHED', risky: true, householdId: c.householdId, householdNumber: c.householdNumber, villageCode: c.regionCode, countyCode: ancestorCode(c.regionCode!, 'COUNTY') });
        }
      }
      await tx.scan.update({ where: { id: scanId }, data: { scanned: { increment: scanned }, flagged: { increment: opened } } });
      return { opened };
    });
  }

  async finish(scanId: string): Promise<{ scanned: number; flagged: number }> {
    const s = await this.prisma.scan.update({ where: { id: scanId }, data: { status: 'FINISHED', finishedAt: new Date() } });
    return { scanned: s.scanned, flagged: s.flagged };
  }
}
