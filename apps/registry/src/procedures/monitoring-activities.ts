import { Injectable, Logger } from '@nestjs/common';
import type { MemberMatch, RegistryMonitoringActivities, ScanFlag, ScanRules } from '@jingzhun/contracts';
import { HouseholdStore } from '../households/household.store';
import { RiskScanStore, type MonitoringLines } from '../households/risk-scan.store';
import { RegionStore } from '../regions/region.store';
import { PolicyService } from './policy.service';

/**
 * What the monitoring service needs from the registry, as activities on queue `registry`: the
 * person an alert names (by keyed ID hash, never the number) and the monthly scan's flags,
 * computed in SQL where the data lives, one keyset page at a time.
 */
@Injectable()
export class MonitoringSupportActivities {
  private readonly log = new Logger(MonitoringSupportActivities.name);

  constructor(
    private readonly households: HouseholdStore,
    private readonly scan: RiskScanStore,
    private readonly policy: PolicyService,
    private readonly regions: RegionStore,
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
   * The year's monitoring line of every province with households, each its own or the national
   * fallback. A province without one is left out (its households are not flagged on income) and
   * named in the log: a missing line is never read as 0.
   */
  private async linesOf(year: number): Promise<MonitoringLines> {
    const lines: MonitoringLines = {};
    for (const province of await this.regions.provinces()) {
      const line = await this.policy.monitoringLine(year, province);
      if (line === null) this.log.warn(`没有 ${year} 年 ${province} 的防返贫监测收入线: 本次排查不按收入标记该省农户`);
      else lines[province.slice(0, 2)] = line;
    }
    return lines;
  }

  /**
   * One page of the scan: households not registered poor and not yet monitored (EXITED, APPLICANT)
   * with id > afterId, flagged by the rules in force. Returns the flagged ones and where to go on.
   */
  async scanRisks(
    rules: ScanRules,
    year: number,
    afterId: string | null,
    limit: number,
  ): Promise<{ flags: ScanFlag[]; scanned: number; lastId: string | null }> {
    const rows = await this.scan.page(rules, await this.linesOf(year), afterId, limit);
    const last = rows[0];
    return {
      flags: rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          householdId: r.id,
          householdNumber: r.number,
          villageCode: r.village_code,
          netIncomePerHead: r.net_income_per_head,
          rules: [
            r.income_below && 'income_below_line',
            r.needs_unmet && 'basic_needs_unmet',
            r.disaster && 'disaster_in_village',
          ].filter((x): x is string => !!x),
        })),
      scanned: last ? Number(last.scanned) : 0,
      lastId: last?.last_id ?? null,
    };
  }
}
