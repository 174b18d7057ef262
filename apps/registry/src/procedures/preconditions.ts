import { MemberChanges } from './member-changes';
import { Injectable } from '@nestjs/common';
import {
  caseYearObstacles,
  exitChecks,
  exitEligibility,
  identificationChecks,
  identificationObstacles,
  returnChecks,
  type EligibilityCheck,
  incidence,
  marginalIncomeObstacles,
  perHeadNow,
  monitoringInclusionObstacles,
  monitoringTypeObstacles,
  PROCEDURES,
  returnObstacles,
  riskEliminationObstacles,
  villageExitObstacles,
  visitFindingsSchema,
  type StandingFacts,
  removalObstacles,
  type RemovalReason,
} from '@jingzhun/domain';
import type { ProcedureKind } from '@jingzhun/contracts';
import type { Household, Region } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import type { Tx } from '../prisma/prisma.service';
import { RegionStore } from '../regions/region.store';
import { PolicyService } from './policy.service';
import { CaseStore } from './case.store';
import { VisitStore } from './visit.store';
import { TriageAlertStore } from '../monitoring/triage-alert.store';
import { UserStore } from '../users/user.store';
import { assessedIncome, needsOf } from './assessed-facts';

export interface CaseSubject {
  kind: ProcedureKind;
  year: number;
  household: Household | null;
  region: Region;
  data: Record<string, unknown>;
}

/** Where the law checks a procedure's eligibility (DESIGN.md "Eligibility is checked by the engine"). */
export type Checkpoint = 'start' | 'announcement';

/**
 * Each procedure's eligibility on the household's live facts — its members living there now, the
 * year's assessment, the policy lines — checked when a case starts, when its verification visit is
 * decided (`atDecision`), and again inside the announcing transaction before the registry changes.
 * Returns every unmet condition in Chinese with the figure and the line; empty means it may go on.
 */
@Injectable()
export class Preconditions {
  constructor(
    private readonly policy: PolicyService,
    private readonly households: HouseholdStore,
    private readonly visits: VisitStore,
    private readonly regions: RegionStore,
    private readonly cases: CaseStore,
    private readonly triage: TriageAlertStore,
    private readonly users: UserStore,
    private readonly memberChanges: MemberChanges,
  ) {}

  async obstacles(tx: Tx, s: CaseSubject, at: Checkpoint = 'start'): Promise<string[]> {
    switch (s.kind) {
      case 'identification':
        return identificationObstacles(
          { ...(await this.standing(tx, s.household!, s.year)), status: s.household!.status },
          { requireAssessment: at === 'announcement' },
        );
      case 'return':
        return returnObstacles({ ...(await this.standing(tx, s.household!, s.year)), status: s.household!.status });
      case 'exit': {
        const h = s.household!;
        return exitEligibility({
          ...(await this.standing(tx, h, s.year)),
          status: h.status,
          identifiedYear: h.identifiedYear,
          returnedYear: h.returnedYear,
        });
      }
      case 'member_change':
        // The changes against the members living there now (a head who leaves names the new head; the last one closes the household).
        return this.memberChanges.obstacles(tx, s.household!, s.data);
      case 'removal':
        // 清退: only a household of the registry; 错退 only for an exited one.
        return removalObstacles(s.household!.status, s.data.removalReason as RemovalReason | undefined);
      case 'village_exit': {
        if (s.region.exitYear) return [`${s.region.name} 已于 ${s.region.exitYear} 年退出`];
        // DESIGN.md: only designated poor villages (贫困村) exit as villages.
        if (s.region.designatedSince === null)
          return [`${s.region.name} 不是认定的贫困村, 不办理贫困村退出 (贫困村名单见 PUT /regions/designations)`];
        const inc = await this.villageIncidence(tx, s.region);
        const threshold = await this.policy.villageExitThreshold(s.region.code, s.region.western, new Date());
        return villageExitObstacles(inc, threshold, (s.data.conditions ?? {}) as Record<string, boolean>);
      }
      case 'monitoring_inclusion':
        return this.monitoringInclusion(tx, s.household!, s.year, s.data.monitoringType as string | undefined);
      case 'risk_elimination':
        return this.riskElimination(tx, s.household!);
      case 'annual_adjustment': {
        // Once a year per county: again only after the year's campaign was cancelled.
        const done = await this.cases.attempts(tx, {
          kind: s.kind,
          year: s.year,
          householdId: null,
          regionCode: s.region.code,
          statuses: ['COMPLETED'],
        });
        return done > 0 ? [`${s.region.name} ${s.year} 年度动态调整已完成, 不能重复发起`] : [];
      }
      case 'follow_up':
        return s.household!.status === 'EXITED' || s.household!.status === 'MONITORED'
          ? []
          : [`户状态为 ${s.household!.status}, 只有已脱贫户和监测对象需要回访`];
    }
  }

  /**
   * The same rules as a pass/fail list with the figures, for the reviewer (the drawer, the case page):
   * identification, return and exit list every condition; the others their unmet ones, or one passed line.
   */
  async checks(tx: Tx, s: CaseSubject): Promise<EligibilityCheck[]> {
    const h = s.household;
    if (h && (s.kind === 'identification' || s.kind === 'return' || s.kind === 'exit')) {
      const f = { ...(await this.standing(tx, h, s.year)), status: h.status };
      if (s.kind === 'identification') return identificationChecks(f);
      if (s.kind === 'return') return returnChecks(f);
      return exitChecks({ ...f, identifiedYear: h.identifiedYear, returnedYear: h.returnedYear });
    }
    const failing = await this.obstacles(tx, s, 'announcement');
    const label = `${PROCEDURES[s.kind]?.label ?? s.kind}条件`;
    return failing.length > 0
      ? failing.map((detail) => ({ label, ok: false, detail }))
      : [{ label, ok: true, detail: '按当前事实核对, 全部条件满足' }];
  }

  /**
   * A case's year: the current year in China Standard Time (last year's late cases inside the
   * policy's window), never in the future, never before the household was identified.
   */
  async yearObstacles(
    kind: ProcedureKind,
    year: number,
    household: Household | null,
    now = new Date(),
  ): Promise<string[]> {
    if (kind === 'follow_up' || kind === 'annual_adjustment') return [];
    const window = await this.policy.lateCaseWindow(household?.villageCode ?? '', now);
    return caseYearObstacles(year, now, window, kind === 'exit' ? (household?.identifiedYear ?? null) : null);
  }

  /**
   * The decision at a procedure's verification step, with what it recorded (RULES.md rows 1, 2, 4):
   * a verification whose findings do not meet the procedure's rule cannot be approved, so no notice
   * goes up on a household that does not qualify. Empty for every other step or decision.
   */
  async atDecision(
    tx: Tx,
    c: { kind: string; year: number; householdId: string | null },
    step: string,
    decision: string,
    data: Record<string, unknown>,
  ): Promise<string[]> {
    const def = PROCEDURES[c.kind as ProcedureKind];
    // The county may name the new household's helper: one of its own village's helpers.
    if (
      decision === 'approve' &&
      step === 'county.approval' &&
      typeof data.helperId === 'string' &&
      (c.kind === 'identification' || c.kind === 'return')
    ) {
      const h = await this.households.findOrThrow(c.householdId!, tx);
      if (!(await this.users.isVillageHelper(data.helperId, h.villageCode, tx)))
        return [`帮扶责任人 ${data.helperId} 不是本村 (${h.villageCode}) 在册的帮扶责任人`];
    }
    if (decision !== 'approve' || !def || def.verifiedAt !== step || !c.householdId) return [];
    const h = await this.households.findOrThrow(c.householdId, tx);
    if (c.kind === 'monitoring_inclusion')
      return this.monitoringInclusion(tx, h, c.year, data.monitoringType as string | undefined);
    const findings = visitFindingsSchema.safeParse(data.assessment);
    if (!findings.success) return []; // the record's schema answers this with a 400
    const standing = { ...(await this.standing(tx, h, c.year)), assessment: assessedIncome(findings.data) };
    if (c.kind === 'exit')
      return exitEligibility({
        ...standing,
        status: h.status,
        identifiedYear: h.identifiedYear,
        returnedYear: h.returnedYear,
      });
    if (c.kind === 'return') return returnObstacles({ ...standing, status: h.status });
    return identificationObstacles({ ...standing, status: h.status }, { requireAssessment: true });
  }

  /** 纳入监测: a household that may be monitored, of the type it is given, below the one monitoring line when marginal. */
  private async monitoringInclusion(tx: Tx, h: Household, year: number, type: string | undefined): Promise<string[]> {
    const standing = await this.standing(tx, h, year);
    const perHead = standing.assessment ? perHeadNow(standing.assessment, standing.residents) : null;
    const line = type === 'MARGINAL' && perHead !== null ? await this.policy.monitoringLine(year, h.villageCode) : null;
    return [
      ...monitoringInclusionObstacles(h.status),
      ...monitoringTypeObstacles(h.status, type),
      ...marginalIncomeObstacles(type, year, perHead, line),
    ];
  }

  /** The household's standing in the year: its assessment of that year, the members living there now, the year's line. */
  async standing(tx: Tx, h: Household, year: number): Promise<StandingFacts> {
    const a = await this.households.assessmentOfYear(tx, h.id, year);
    const residents = await this.households.activeMemberCount(tx, h.id);
    return {
      year,
      assessment: a ? assessedIncome(a) : null,
      residents,
      povertyLine: await this.policy.povertyLine(year, h.villageCode),
    };
  }

  private async riskElimination(tx: Tx, h: Household): Promise<string[]> {
    // One after another: a transaction is one connection, and pg does not run two statements on it at once.
    const assessments = await this.households.assessments(tx, h.id);
    const labourCapacities = await this.households.activeLabourCapacities(tx, h.id);
    const visit = await this.visits.latest(tx, h.id);
    const pendingAlerts = await this.triage.pendingRisky(tx, h.id);
    const years = [...new Set(assessments.map((a) => a.year))];
    const lines = new Map(
      await Promise.all(years.map(async (y) => [y, await this.policy.monitoringLine(y, h.villageCode)] as const)),
    );
    return riskEliminationObstacles({
      status: h.status,
      monitoredSince: h.monitoredSince,
      now: new Date(),
      assessments: assessments.map((a) => ({
        assessedOn: a.assessedOn,
        year: a.year,
        netIncomePerHead: a.netIncomePerHead,
        needs: needsOf(a),
      })),
      monitoringLine: (y) => lines.get(y) ?? null,
      labourCapacities,
      latestVisitRisky: visit?.risky ?? false,
      pendingRiskyAlerts: pendingAlerts,
    });
  }

  async villageIncidence(tx: Tx, village: Region): Promise<number> {
    return incidence(await this.regions.poorPeopleIn(tx, village.code), village.ruralPopulation);
  }
}
