import { Injectable } from '@nestjs/common';
import { exitObstacles, incidence, monitoringInclusionObstacles, netIncomePerHead, riskEliminationObstacles, villageExitObstacles, type BasicNeeds } from '@jingzhun/domain';
import type { ProcedureKind } from '@jingzhun/contracts';
import type { Household, Region } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import type { Tx } from '../prisma/prisma.service';
import { RegionStore } from '../regions/region.store';
import { PolicyService } from './policy.service';
import { CaseStore } from './case.store';
import { VisitStore } from './visit.store';

export interface CaseSubject {
  kind: ProcedureKind;
  year: number;
  household: Household | null;
  region: Region;
  data: Record<string, unknown>;
}

/**
 * Preconditions of each procedure, checked when a case starts and again, inside the announcing
 * transaction, before the registry changes (DESIGN.md: no skipped or reordered steps).
 * Returns the obstacles in Chinese; empty means the procedure may go on.
 */
@Injectable()
export class Preconditions {
  constructor(
    private readonly policy: PolicyService,
    private readonly households: HouseholdStore,
    private readonly visits: VisitStore,
    private readonly regions: RegionStore,
    private readonly cases: CaseStore,
  ) {}

  async obstacles(tx: Tx, s: CaseSubject): Promise<string[]> {
    switch (s.kind) {
      case 'identification':
        if (s.household!.status !== 'APPLICANT') return [`户状态为 ${s.household!.status}, 只有申请中的户可以识别纳入`];
        return [];
      case 'return': {
        if (s.household!.status !== 'EXITED') return [`户状态为 ${s.household!.status}, 只有已脱贫户可以返贫`];
        const below = await this.belowStandard(tx, s);
        return below ? [] : ['最新核实的收入与两不愁三保障均已达标, 不符合返贫条件'];
      }
      case 'exit': {
        const h = s.household!;
        const a = await this.households.assessmentOfYear(tx, h.id, s.year);
        const line = await this.policy.povertyLine(s.year, h.villageCode);
        if (line === null) return [`没有 ${s.year} 年的贫困标准 (政策数据 povertyLine)`];
        return exitObstacles({
          status: h.status,
          identifiedYear: h.identifiedYear,
          returnedYear: h.returnedYear,
          year: s.year,
          netIncomePerHead: a?.netIncomePerHead ?? null,
          povertyLine: line,
          needs: a ? needsOf(a) : null,
        });
      }
      case 'member_change':
        if (s.household!.status === 'CLOSED') return ['已销户的户不能变更成员'];
        return [];
      case 'village_exit': {
        if (s.region.exitYear) return [`${s.region.name} 已于 ${s.region.exitYear} 年退出`];
        const inc = await this.villageIncidence(tx, s.region);
        const threshold = await this.policy.villageExitThreshold(s.region.code, s.region.western, new Date());
        return villageExitObstacles(inc, threshold, (s.data.conditions ?? {}) as Record<string, boolean>);
      }
      case 'monitoring_inclusion':
        return monitoringInclusionObstacles(s.household!.status);
      case 'risk_elimination':
        return this.riskElimination(tx, s.household!);
      case 'annual_adjustment': {
        // Once a year per county: again only after the year's campaign was cancelled.
        const done = await this.cases.attempts(tx, { kind: s.kind, year: s.year, householdId: null, regionCode: s.region.code, statuses: ['COMPLETED'] });
        return done > 0 ? [`${s.region.name} ${s.year} 年度动态调整已完成, 不能重复发起`] : [];
      }
      case 'follow_up':
        return s.household!.status === 'EXITED' || s.household!.status === 'MONITORED' ? [] : [`户状态为 ${s.household!.status}, 只有已脱贫户和监测对象需要回访`];
    }
  }

  private async riskElimination(tx: Tx, h: Household): Promise<string[]> {
    // One after another: a transaction is one connection, and pg does not run two statements on it at once.
    const assessments = await this.households.assessments(tx, h.id);
    const labourCapacities = await this.households.activeLabourCapacities(tx, h.id);
    const visit = await this.visits.latest(tx, h.id);
    const years = [...new Set(assessments.map((a) => a.assessedOn.getUTCFullYear()))];
    const lines = new Map(await Promise.all(years.map(async (y) => [y, await this.policy.monitoringLine(y, h.villageCode)] as const)));
    return riskEliminationObstacles({
      status: h.status,
      monitoredSince: h.monitoredSince,
      now: new Date(),
      assessments: assessments.map((a) => ({ assessedOn: a.assessedOn, netIncomePerHead: a.netIncomePerHead, needs: needsOf(a) })),
      monitoringLine: (y) => lines.get(y) ?? null,
      labourCapacities,
      latestVisitRisky: visit?.risky ?? false,
    });
  }

  async villageIncidence(tx: Tx, village: Region): Promise<number> {
    return incidence(await this.regions.poorPeopleIn(tx, village.code), village.ruralPopulation);
  }

  /** 返贫: net income per head at or below the year's line, or a basic need no longer secure. */
  private async belowStandard(tx: Tx, s: CaseSubject): Promise<boolean> {
    const a = await this.households.latestAssessment(tx, s.household!.id);
    if (!a) return false;
    const line = (await this.policy.povertyLine(s.year, s.household!.villageCode)) ?? (await this.policy.povertyLine(2020, s.household!.villageCode)) ?? 4000;
    return a.netIncomePerHead <= line || Object.values(needsOf(a)).some((ok) => !ok);
  }
}

export function needsOf(a: { food: boolean; clothing: boolean; education: boolean; medical: boolean; housing: boolean; water: boolean }): BasicNeeds {
  return { food: a.food, clothing: a.clothing, education: a.education, medical: a.medical, housing: a.housing, water: a.water };
}

export { netIncomePerHead };
