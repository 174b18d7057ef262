import { Injectable } from '@nestjs/common';
import {
  BASIC_NEEDS,
  evidenceSections,
  INCOME_NAMES,
  MEMBER_ADD_REASON_LABELS,
  MEMBER_CHANGE_LABELS,
  MemberLeaveReason,
  NEED_NAMES,
  netIncome,
  perHeadNow,
  planMemberChanges,
  recordLines,
  Relation,
  stepDuty,
  stepLabel,
  ancestorCode,
  cstYear,
} from '@jingzhun/domain';
import type { ProcedureKind } from '@jingzhun/contracts';
import { assertJurisdiction, invalid, notFound, type AuthUser } from '@jingzhun/platform';
import type { Case, Household, Task } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import { MemberMovesStore } from '../households/member-moves.store';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { RegionStore } from '../regions/region.store';
import { CaseStore } from './case.store';
import { CaseQueries } from './case-queries';
import { storedChanges } from './member-changes';
import { PolicyService } from './policy.service';
import { Preconditions } from './preconditions';

type AssessmentRow = NonNullable<Awaited<ReturnType<HouseholdStore['assessmentOfYear']>>>;

/**
 * 决定依据 (#21 §1): what the law asks the deciding level to check at a step — the procedure
 * catalogue's duty and sections (libs/domain/src/procedures/evidence.ts) — filled from the case and
 * the household's live facts: the eligibility rules as a pass/fail list with the figures (the same
 * rules the engine refuses with), the year's assessment against the line, the member changes with
 * income per head before and after, each objection with its finding, the notices, every decision
 * with its record. Read in one snapshot; no ID number (records never carry one; members by name).
 */
@Injectable()
export class CaseEvidence {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cases: CaseStore,
    private readonly caseService: CaseQueries,
    private readonly households: HouseholdStore,
    private readonly regions: RegionStore,
    private readonly moves: MemberMovesStore,
    private readonly policy: PolicyService,
    private readonly preconditions: Preconditions,
  ) {}

  async of(actor: AuthUser, caseId: string, atStep?: string) {
    const found = await this.cases.detail(caseId);
    if (!found) throw notFound('案件', caseId);
    const { case: c, objections } = found;
    assertJurisdiction(actor, c.regionCode);
    await this.caseService.assertHelperOf(actor, c.householdId);
    const step = atStep ?? c.step;
    const household = c.householdId ? await this.households.find(c.householdId) : null;
    const facts = await this.prisma.$transaction(async (tx) => this.facts(tx, c, household), {
      isolationLevel: 'RepeatableRead',
    });
    const tasks = c.tasks;
    return {
      caseId: c.id,
      kind: c.kind,
      step,
      duty: stepDuty(c.kind, step),
      sections: evidenceSections(c.kind, step),
      ...facts,
      objections: objections.map((o) => {
        const t = tasks.find((x) => x.id === o.taskId) ?? tasks.find((x) => x.objectionId === o.id);
        const rec = (t?.data ?? {}) as Record<string, unknown>;
        return {
          id: o.id,
          noticeTitle: c.notices.find((n) => n.id === o.noticeId)?.title ?? '',
          content: o.content,
          // As the objector chose to give it; an anonymous objection says so.
          raisedBy: o.submittedBy,
          raisedAt: o.createdAt,
          status: o.status,
          finding: typeof rec.finding === 'string' ? rec.finding : null,
          evidence: typeof rec.evidence === 'string' ? rec.evidence : null,
          decision: t?.decision ?? null,
          decidedBy: t?.decidedBy ?? null,
          decidedAt: t?.decidedAt ?? null,
        };
      }),
      notices: c.notices.map((n) => ({
        title: n.title,
        days: n.days,
        startsAt: n.startsAt,
        endsAt: n.endsAt,
        status: n.status,
      })),
      decisions: tasks.filter((t) => t.decision).map((t) => decisionView(t)),
    };
  }

  /** The start's own checks for a household's procedure, every one pass or fail, with the case year's. */
  async preflight(actor: AuthUser, q: { kind: ProcedureKind; householdId: string; year?: number }) {
    const h = await this.households.find(q.householdId);
    if (!h) throw invalid('householdId', `户 ${q.householdId} 不存在`);
    assertJurisdiction(actor, h.villageCode);
    const region = await this.regions.find(h.villageCode);
    const year = q.year ?? cstYear();
    const yearIssues = await this.preconditions.yearObstacles(q.kind, year, h);
    const checks = await this.prisma.$transaction(
      async (tx) => this.preconditions.checks(tx, { kind: q.kind, year, household: h, region: region!, data: {} }),
      { isolationLevel: 'RepeatableRead' },
    );
    return {
      kind: q.kind,
      year,
      checks: [...yearIssues.map((detail) => ({ label: '年度', ok: false, detail })), ...checks],
    };
  }

  private async facts(tx: Tx, c: Case, h: Household | null) {
    const region = await this.regions.find(c.regionCode);
    if (!h) {
      const checks =
        region && c.status === 'OPEN'
          ? await this.preconditions.checks(tx, {
              kind: c.kind as ProcedureKind,
              year: c.year,
              household: null,
              region,
              data: c.data as Record<string, unknown>,
            })
          : [];
      return { household: null, assessment: null, checks, memberChanges: null };
    }
    const residents = await this.households.activeMemberCount(tx, h.id);
    const row = (await this.households.assessmentOfYear(tx, h.id, c.year)) ?? null;
    const povertyLine = await this.policy.povertyLine(c.year, h.villageCode);
    const monitoringLine = await this.policy.monitoringLine(c.year, h.villageCode);
    const township = await this.regions.name(ancestorCode(h.villageCode, 'TOWNSHIP'));
    // Checked while the case is open (a finished case's household has moved on: its records say what was found).
    const checks =
      region && c.status === 'OPEN' && c.kind !== 'follow_up' && c.kind !== 'annual_adjustment'
        ? await this.preconditions.checks(tx, {
            kind: c.kind as ProcedureKind,
            year: c.year,
            household: h,
            region,
            data: c.data as Record<string, unknown>,
          })
        : [];
    return {
      household: {
        id: h.id,
        number: h.number,
        headName: h.headName,
        status: h.status,
        villageCode: h.villageCode,
        villageName: region?.name ?? null,
        townshipName: township,
        residents,
      },
      assessment: row ? assessmentView(c.year, row, residents, povertyLine, monitoringLine) : null,
      checks,
      memberChanges: c.kind === 'member_change' ? await this.memberChanges(tx, c, h, residents, row) : null,
    };
  }

  /** The changes in words, and income per head over the residents before and after them. */
  private async memberChanges(
    tx: Tx,
    c: Case,
    h: Household,
    residentsNow: number,
    yearAssessment: AssessmentRow | null,
  ) {
    const changes = storedChanges(c.data as Record<string, unknown>);
    const ids = changes
      .flatMap((x) => [
        'memberId' in x ? x.memberId : undefined,
        'newHeadId' in x ? x.newHeadId : undefined,
        ...('memberIds' in x ? x.memberIds : []),
      ])
      .filter((x): x is string => typeof x === 'string');
    const people = new Map((await this.moves.named(tx, ids)).map((m) => [m.id, m]));
    const who = (id: string) => {
      const m = people.get(id);
      return m ? `${m.name} (${Relation.labels[m.relation as Relation] ?? m.relation})` : '(成员不存在)';
    };
    // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every change kind (TypeScript checks it)
    const items = changes.map((x) => {
      const label = MEMBER_CHANGE_LABELS[x.change];
      switch (x.change) {
        case 'add': {
          const m = x.member as { name?: string; relation?: string };
          return {
            change: x.change,
            label,
            detail: `${m.name ?? ''} (${Relation.labels[m.relation as Relation] ?? m.relation ?? ''}) 因${MEMBER_ADD_REASON_LABELS[x.reason] ?? x.reason}加入本户`,
          };
        }
        case 'remove':
          return {
            change: x.change,
            label,
            detail: `${who(x.memberId)} 因${MemberLeaveReason.labels[x.reason] ?? x.reason}离户`,
          };
        case 'head':
          return { change: x.change, label, detail: `新户主: ${who(x.newHeadId)}` };
        case 'split':
          return {
            change: x.change,
            label,
            detail: `${x.memberIds.map(who).join('、')} 分出另立一户, 户主 ${who(x.newHeadId)}`,
          };
        case 'close':
          return { change: x.change, label, detail: `整户注销: ${MemberLeaveReason.labels[x.reason] ?? x.reason}` };
      }
    });
    const applied = c.status === 'COMPLETED';
    const adds = changes.filter((x) => x.change === 'add').length;
    const { plan } = planMemberChanges(changes, await this.moves.residents(tx, h.id));
    const leaving = changes.flatMap((x) =>
      x.change === 'remove' ? [x.memberId] : x.change === 'split' ? x.memberIds : [],
    ).length;
    const before = applied ? residentsNow + leaving - adds : residentsNow;
    const after = applied ? residentsNow : plan.closes ? 0 : plan.staying.length + adds;
    const income = yearAssessment ?? (await this.households.latestAssessment(tx, h.id));
    const perHead = (n: number) => (income && n > 0 ? perHeadNow(income, n) : null);
    return {
      items,
      residentsBefore: before,
      residentsAfter: after,
      perHeadBefore: perHead(before),
      perHeadAfter: perHead(after),
      applied,
    };
  }
}

function assessmentView(
  year: number,
  a: AssessmentRow,
  residents: number,
  povertyLine: number | null,
  monitoringLine: number | null,
) {
  return {
    year,
    assessedOn: a.assessedOn
      ? String(a.assessedOn instanceof Date ? a.assessedOn.toISOString().slice(0, 10) : a.assessedOn)
      : null,
    incomes: (Object.entries(INCOME_NAMES) as [keyof typeof INCOME_NAMES, string][]).map(([key, label]) => ({
      key,
      label,
      yuan: a[key],
    })),
    netIncome: netIncome({ ...a, people: 1 }),
    residents,
    // Over the members living there now (RULES.md row 8b), as the engine decides it.
    perHead: perHeadNow(a, residents),
    povertyLine,
    monitoringLine,
    needs: BASIC_NEEDS.map((key) => ({ key, label: NEED_NAMES[key], ok: a[key] })),
  };
}

function decisionView(t: Task) {
  return {
    step: t.step,
    label: stepLabel(t.step),
    decision: t.decision!,
    decidedBy: t.decidedBy,
    decidedAt: t.decidedAt,
    comment: t.comment,
    record: recordLines(t.data),
  };
}
