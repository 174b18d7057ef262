import { CampaignError, CommonError } from '@jingzhun/contracts';
import { Injectable } from '@nestjs/common';
import {
  CAMPAIGN_PHASE_LABELS,
  CLEANING_RULE_CODES,
  CLEANING_RULES,
  cstDate,
  idMismatch,
  isWithin,
  PROVINCE_RULE,
  type CampaignPhase,
  type CleaningRule,
} from '@jingzhun/domain';
import type { CampaignData } from '@jingzhun/contracts';
import { assertJurisdiction, conflict, forbidden, invalid, notFound, type AuthUser } from '@jingzhun/platform';
import type { Case } from '../generated/prisma/client';
import { IdNumberVault } from '../id-numbers/id-number-vault';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { RegionStore } from '../regions/region.store';
import { CaseStore } from '../procedures/case.store';
import { PolicyService } from '../procedures/policy.service';
import { CleaningStore, type RuleFinding, type RuleScope } from './cleaning.store';

/**
 * 数据清洗: the rules in force (policy `cleaningRules`, effective-dated; all by default) run over
 * the county's registry when the cleaning window opens and again on demand; each finding is a
 * problem item for its township, due at the end of the window. A township fixes the data (the rule
 * is run again for that household) or explains it (情况说明), which the county accepts or rejects.
 * The province's problem list (XLSX: household number, problem, description) is routed the same way.
 */
@Injectable()
export class CleaningService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly store: CleaningStore,
    private readonly cases: CaseStore,
    private readonly policy: PolicyService,
    private readonly vault: IdNumberVault,
    private readonly journal: Journal,
    private readonly regions: RegionStore,
  ) {}

  /** The campaign case, or 404. */
  async campaign(id: string): Promise<Case> {
    const c = await this.cases.findCampaign(id);
    if (!c) throw notFound('年度动态调整', id);
    return c;
  }

  /** When a problem item found in `phase` must be fixed: the phase's end in the campaign's calendar. */
  fixBy(c: Case, phase: 'cleaning' | 'feedback'): string {
    return (c.data as unknown as CampaignData).calendar.find((w) => w.phase === phase)!.endsAt;
  }

  private async rulesInForce(c: Case): Promise<CleaningRule[]> {
    const v = await this.policy.value<{ rules: string[] }>(
      'cleaningRules',
      c.countyCode,
      new Date(Date.UTC(c.year, 10, 21)),
    );
    return v ? CLEANING_RULE_CODES.filter((r) => v.rules.includes(r)) : CLEANING_RULE_CODES;
  }

  private async findings(rule: CleaningRule, s: RuleScope): Promise<RuleFinding[]> {
    if (rule !== 'id_mismatch') return this.store.run(rule, s);
    const byHousehold = new Map<string, string[]>();
    for (const m of await this.store.membersForIdCheck(s)) {
      const problem = idMismatch(this.vault.open(m.idCipher), m);
      if (problem) byHousehold.set(m.householdId, [...(byHousehold.get(m.householdId) ?? []), `${m.name}: ${problem}`]);
    }
    return [...byHousehold].map(([householdId, p]) => ({ householdId, description: p.join('; ') }));
  }

  /** Runs every rule in force over the county; returns the new items per rule. Audited (the system's or the officer's run). */
  async run(caseId: string, actor: { id: string; role: string } = SYSTEM_ACTOR) {
    const c = await this.campaign(caseId);
    // Only in the cleaning phase of a running campaign: not on a cancelled one, nor on next year's still being deployed.
    if (c.status !== 'OPEN')
      throw conflict(
        CampaignError.CampaignClosed,
        `${c.year} 年度动态调整已${c.status === 'CANCELLED' ? '撤销' : '结束'}, 不再运行数据清洗`,
      );
    if (c.step !== 'campaign.cleaning') {
      const w = (c.data as unknown as CampaignData).calendar.find((x) => x.phase === 'cleaning')!;
      throw conflict(
        CampaignError.NotInCleaning,
        `数据清洗在 ${c.year} 年度动态调整的清洗阶段运行 (${cstDate(new Date(w.startsAt))} 至 ${cstDate(new Date(new Date(w.endsAt).getTime() - 1))}), 当前阶段: ${CAMPAIGN_PHASE_LABELS[c.step.replace('campaign.', '') as CampaignPhase] ?? c.step}`,
      );
    }
    const scope: RuleScope = {
      countyCode: c.countyCode,
      year: c.year,
      povertyLine: (await this.policy.povertyLine(c.year, c.countyCode)) ?? 4000,
    };
    const found: Record<string, number> = {};
    for (const rule of await this.rulesInForce(c)) {
      const findings = await this.findings(rule, scope);
      found[rule] = await this.prisma.$transaction((tx) =>
        this.store.record(tx, c.id, rule, this.fixBy(c, 'cleaning'), findings),
      );
    }
    await this.prisma.$transaction((tx) =>
      this.journal.record(tx, actor, {
        action: 'campaign.cleaning.run',
        entity: 'case',
        entityId: c.id,
        regionCode: c.regionCode,
        caseId: c.id,
        after: { newItems: found },
      }),
    );
    return { newItems: found };
  }

  async runByOfficer(actor: AuthUser, caseId: string) {
    if (actor.role !== 'county') throw forbidden(CommonError.RoleNotAllowed, '数据清洗由县级运行');
    assertJurisdiction(actor, (await this.campaign(caseId)).regionCode);
    return this.run(caseId, actor);
  }

  async list(actor: AuthUser, caseId: string, q: { status?: string; regionCode?: string }) {
    const c = await this.campaign(caseId);
    // Another county's campaign: 403, as its other routes answer (#22: was a 400).
    if (
      actor.role !== 'admin' &&
      !isWithin(c.regionCode, actor.regionCode) &&
      !isWithin(actor.regionCode, c.regionCode)
    )
      throw forbidden(CommonError.OutsideJurisdiction, '该年度动态调整不在您的辖区');
    const scope = q.regionCode ?? (actor.role === 'admin' ? c.regionCode : actor.regionCode);
    assertJurisdiction(actor, scope);
    if (!isWithin(c.regionCode, scope)) throw invalid('regionCode', '不在本次年度动态调整的范围内');
    const items = await this.store.list(c.id, scope, q.status);
    const names = await this.regions.names(items.flatMap((i) => [i.villageCode, i.townshipCode]));
    return items.map((i) => ({
      id: i.id,
      householdId: i.householdId,
      householdNumber: i.householdNumber,
      villageCode: i.villageCode,
      villageName: names.get(i.villageCode) ?? null,
      townshipCode: i.townshipCode,
      townshipName: names.get(i.townshipCode) ?? null,
      rule: i.rule,
      ruleLabel: CLEANING_RULES[i.rule as CleaningRule] ?? '省级反馈问题',
      description: i.description,
      fixBy: i.fixBy,
      status: i.status,
      explanation: i.explanation,
      reviewComment: i.reviewComment,
    }));
  }

  private async itemFor(actor: AuthUser, caseId: string, itemId: string) {
    const item = await this.store.item(itemId);
    if (!item || item.caseId !== caseId) throw notFound('问题', itemId);
    assertJurisdiction(actor, item.villageCode);
    return item;
  }

  /** After the data was corrected: the item's rule is run again for its household; clean → FIXED. */
  async recheck(actor: AuthUser, caseId: string, itemId: string) {
    const item = await this.itemFor(actor, caseId, itemId);
    if (item.status === 'FIXED' || item.status === 'ACCEPTED')
      throw conflict(CampaignError.ProblemClosed, '该问题已处理完毕');
    if (item.rule.startsWith(PROVINCE_RULE))
      throw conflict(CampaignError.ProvinceProblem, '省级反馈问题请在整改后填写情况说明, 由县级确认');
    const c = await this.campaign(caseId);
    const still = await this.findings(item.rule as CleaningRule, {
      countyCode: c.countyCode,
      year: c.year,
      povertyLine: (await this.policy.povertyLine(c.year, c.countyCode)) ?? 4000,
      householdId: item.householdId,
    });
    if (still.length > 0) throw conflict(CampaignError.StillFails, `仍不符合: ${still[0].description}`);
    return this.close(actor, item.id, 'FIXED', { action: 'problem.fixed', after: { rule: item.rule } });
  }

  /** 情况说明: the township explains why the data is right; the county accepts or rejects it. */
  async explain(actor: AuthUser, caseId: string, itemId: string, explanation: string) {
    if (actor.role !== 'township') throw forbidden(CommonError.RoleNotAllowed, '情况说明由乡镇填写');
    const item = await this.itemFor(actor, caseId, itemId);
    if (item.status !== 'OPEN' && item.status !== 'REJECTED')
      throw conflict(CampaignError.ProblemClosed, '该问题已处理或已说明');
    return this.prisma.$transaction(async (tx) => {
      const after = await this.store.update(tx, item.id, { status: 'EXPLAINED', explanation, explainedBy: actor.id });
      await this.journal.record(tx, actor, {
        action: 'problem.explained',
        entity: 'problem_item',
        entityId: item.id,
        householdId: item.householdId,
        regionCode: item.villageCode,
        caseId,
        before: { status: item.status },
        after: { status: 'EXPLAINED', explanation },
      });
      return { id: after.id, status: after.status };
    });
  }

  async review(actor: AuthUser, caseId: string, itemId: string, accept: boolean, comment: string) {
    if (actor.role !== 'county') throw forbidden(CommonError.RoleNotAllowed, '情况说明由县级审核');
    const item = await this.itemFor(actor, caseId, itemId);
    if (item.status !== 'EXPLAINED') throw conflict(CampaignError.NotExplained, '该问题没有待审核的情况说明');
    if (accept)
      return this.close(actor, item.id, 'ACCEPTED', { action: 'problem.accepted', after: { comment } }, comment);
    return this.prisma.$transaction(async (tx) => {
      const after = await this.store.update(tx, item.id, {
        status: 'REJECTED',
        reviewComment: comment,
        reviewedBy: actor.id,
      });
      await this.journal.record(tx, actor, {
        action: 'problem.rejected',
        entity: 'problem_item',
        entityId: item.id,
        householdId: item.householdId,
        regionCode: item.villageCode,
        caseId,
        before: { status: 'EXPLAINED' },
        after: { status: 'REJECTED', comment },
      });
      return { id: after.id, status: after.status };
    });
  }

  private async close(
    actor: AuthUser,
    id: string,
    status: 'FIXED' | 'ACCEPTED',
    audit: { action: string; after: Record<string, unknown> },
    comment?: string,
  ) {
    const item = (await this.store.item(id))!;
    return this.prisma.$transaction(async (tx) => {
      const after = await this.store.update(tx, id, {
        status,
        closedAt: new Date(),
        ...(status === 'ACCEPTED' ? { reviewedBy: actor.id, reviewComment: comment ?? null } : {}),
      });
      await this.journal.record(tx, actor, {
        action: audit.action,
        entity: 'problem_item',
        entityId: id,
        householdId: item.householdId,
        regionCode: item.villageCode,
        caseId: item.caseId,
        before: { status: item.status },
        after: { status, ...audit.after },
      });
      return { id: after.id, status: after.status };
    });
  }
}
