import { Injectable } from '@nestjs/common';
import type { MonitoringActivities, ScanFlag } from '@jingzhun/contracts';
import { AlertsService } from './alerts.service';
import { ScanStore } from './scan.store';
import { RiskRules } from './risk-rules';

/**
 * The monthly scan's side: each flagged household becomes one triage item per period
 * (department `scan`, externalId `<period>/<householdId>`: a re-run of the month adds nothing).
 */
@Injectable()
export class ScanActivities {
  constructor(
    private readonly scans: ScanStore,
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

  begin(scanId: string, period: string): Promise<void> {
    return this.scans.begin(scanId, period);
  }

  record(scanId: string, period: string, flags: ScanFlag[], scanned: number): Promise<{ opened: number }> {
    return this.scans.record(scanId, period, flags, scanned);
  }

  finish(scanId: string): Promise<{ scanned: number; flagged: number }> {
    return this.scans.finish(scanId);
  }
}
