import { Injectable } from '@nestjs/common';
import type { MemberMatch, RegistryMonitoringActivities, ScanFlag, ScanRules } from '@jingzhun/contracts';
import { HouseholdStore } from '../households/household.store';
import { RiskScanStore } from '../households/risk-scan.store';
import { PolicyService } from './policy.service';

/**
 * What the monitoring service needs from the registry, as activities on queue `registry`: the
 * person an alert names (by keyed ID hash, never the number) and the monthly scan's flags,
 * computed in SQL where the data lives, one keyset page at a time.
 */
@Injectable()
export class MonitoringSupportActivities {
  constructor(
    private readonly households: HouseholdStore,
    private readonly scan: RiskScanStore,
    private readonly policy: PolicyService,
  ) {}

  activities(): RegistryMonitoringActivities {
    return {
      matchMember: (i) => this.matchMember(i.idHash),
      scanRisks: (i) => this.scanRisks(i.rules, i.year, i.afterId, i.limit),
    };
  }

  async matchMember(idHash: string): Promise<MemberMatch | null> {
    const m = await this.households.activeByIdHash(idHash);
    if (!m) return null;
    return {
      householdId: m.householdId,
      memberId: m.id,
      householdNumber: m.household.number,
      villageCode: m.household.villageCode,
      status: m.household.status,
      netIncomePerHead: m.household.netIncomePerHead,
      memberCount: m.household.memberCount,
      labourCapacity: m.labourCapacity,
    };
  }

  /**
   * One page of the scan: households not registered poor and not yet monitored (EXITED, APPLICANT)
   * with id > afterId, flagged by the rules in force. Returns the flagged ones and where to go on.
   */
  async scanRisks(rules: ScanRules, year: number, afterId: string | null, limit: number): Promise<{ flags: ScanFlag[]; scanned: number; lastId: string | null }> {
    const line = (await this.policy.monitoringLine(year, '')) ?? 0;
    const rows = await this.scan.page(rules, line, afterId, limit);
    const last = rows[0];
    return {
      flags: rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          householdId: r.id,
          householdNumber: r.number,
          villageCode: r.village_code,
          netIncomePerHead: r.net_income_per_head,
          rules: [r.income_below && 'income_below_line', r.needs_unmet && 'basic_needs_unmet', r.disaster && 'disaster_in_village'].filter((x): x is string => !!x),
        })),
      scanned: last ? Number(last.scanned) : 0,
      lastId: last?.last_id ?? null,
    };
  }
}
