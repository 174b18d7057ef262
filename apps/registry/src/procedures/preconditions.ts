import { Injectable } from '@nestjs/common';
import { exitObstacles, incidence, monitoringInclusionObstacles, netIncomePerHead, riskEliminationObstacles, villageExitObstacles, type BasicNeeds } from '@jingzhun/domain';
import type { ProcedureKind } from '@jingzhun/contracts';
import type { Household, Region } from '../generated/prisma/client';
import type { Tx } from '../prisma/prisma.service';
import { PolicyService } from './policy.service';

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
  constructor(private readonly policy: PolicyService) {}

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
        const a = await tx.assessment.findFirst({ where: { householdId: h.id, year: s.year }, orderBy: { assessedOn: 'desc' } });
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
      case 'follow_up':
        return s.household!.status === 'EXITED' || s.household!.status === 'MONITORED' ? [] : [`户状态为 ${s.household!.status}, 只有已脱贫户和监测对象需要回访`];
    }
  }

  private async riskElimination(tx: Tx, h: Household): Promise<string[]> {
    // One after another: a transaction is one connection, and pg does not run two statements on it at once.
    const assessments = await tx.assessment.findMany({ where: { householdId: h.id }, orderBy: { assessedOn: 'asc' } });
    const members = await tx.member.findMany({ where: { householdId: h.id, active: true }, select: { labourCapacity: true } });
    const visit = await tx.visit.findFirst({ where: { householdId: h.id }, orderBy: { visitedAt: 'desc' } });
    const years = [...new Set(assessments.map((a) => a.assessedOn.getUTCFullYear()))];
    const lines = new Map(await Promise.all(years.map(async (y) => [y, await this.policy.monitoringLine(y, h.villageCode)] as const)));
    return riskEliminationObstacles({
      status: h.status,
      monitoredSince: h.monitoredSince,
      now: new Date(),
      assessments: assessments.map((a) => ({ assessedOn: a.assessedOn, netIncomePerHead: a.netIncomePerHead, needs: needsOf(a) })),
      monitoringLine: (y) => lines.get(y) ?? null,
      labourCapacities: members.map((m) => m.labourCapacity),
      latestVisitRisky: visit?.risky ?? false,
    });
  }

  async villageIncidence(tx: Pick<Tx, '$queryRaw'>, village: Region): Promise<number> {
    const rows = await tx.$queryRaw<{ poor: bigint }[]>`
      SELECT count(m.id) AS poor FROM household h JOIN member m ON m.household_id = h.id AND m.active
       WHERE h.village_code = ${village.code} AND h.status = 'POOR'`;
    return incidence(Number(rows[0]?.poor ?? 0), village.ruralPopulation);
  }

  /** 返贫: net income per head at or below the year's line, or a basic need no longer secure. */
  private async belowStandard(tx: Tx, s: CaseSubject): Promise<boolean> {
    const a = await tx.assessment.findFirst({ where: { householdId: s.household!.id }, orderBy: { assessedOn: 'desc' } });
    if (!a) return false;
    const line = (await this.policy.povertyLine(s.year, s.household!.villageCode)) ?? (await this.policy.povertyLine(2020, s.household!.villageCode)) ?? 4000;
    return a.netIncomePerHead <= line || Object.values(needsOf(a)).some((ok) => !ok);
  }
}

export function needsOf(a: { food: boolean; clothing: boolean; education: boolean; medical: boolean; housing: boolean; water: boolean }): BasicNeeds {
  return { food: a.food, clothing: a.clothing, education: a.education, medical: a.medical, housing: a.housing, water: a.water };
}

export { netIncomePerHead };
