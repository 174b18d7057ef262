import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  CampaignError,
  CampaignRefusal,
  cancelCampaignUpdate,
  CommonError,
  isCampaignRefusalType,
  type CampaignData,
} from '@jingzhun/contracts';
import {
  campaignCalendar,
  cstDate,
  cstYear,
  DEFAULT_CAMPAIGN_CALENDAR,
  SCOPE_CATEGORY_LABELS,
  type CampaignPhase,
  type CampaignStart,
} from '@jingzhun/domain';
import {
  assertJurisdiction,
  conflict,
  DomainException,
  forbidden,
  invalid,
  TemporalClientService,
  type AuthUser,
} from '@jingzhun/platform';
import { RegionStore } from '../regions/region.store';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { CaseStore } from '../procedures/case.store';
import { CasesService } from '../procedures/cases.service';
import { PolicyService } from '../procedures/policy.service';
import { CampaignStore, type ScopeRule } from './campaign.store';
import { CampaignQueries } from './campaign-queries';
import { CleaningStore } from './cleaning.store';

/**
 * 年度动态调整 from the county office's side: the dry run of the scope from live data, the start
 * (refused when the data moved since the dry run), the campaign's state and its cancellation.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly store: CampaignStore,
    readonly _cleaning: CleaningStore,
    private readonly regions: RegionStore,
    private readonly cases: CasesService,
    private readonly caseStore: CaseStore,
    private readonly policy: PolicyService,
    private readonly temporal: TemporalClientService,
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
    private readonly queries: CampaignQueries,
  ) {}

  private async county(actor: AuthUser, countyCode: string) {
    assertJurisdiction(actor, countyCode);
    const county = await this.regions.find(countyCode);
    if (county?.level !== 'COUNTY') throw invalid('countyCode', `县 ${countyCode} 不存在`);
    return county;
  }

  private async rule(
    input: Pick<CampaignStart, 'countyCode' | 'year' | 'categories' | 'marginalLine'>,
  ): Promise<ScopeRule> {
    const at = new Date(Date.UTC(input.year, 11, 31));
    // 边缘户 are those below the year's one monitoring line (policy per province and year, national fallback).
    const marginalLine = input.marginalLine ?? (await this.policy.monitoringLine(input.year, input.countyCode));
    if (marginalLine === null)
      throw conflict(
        CampaignError.NoMonitoringLine,
        `没有 ${input.year} 年的防返贫监测收入线 (政策数据 monitoringLine), 不能确定边缘户范围`,
      );
    return {
      countyCode: input.countyCode,
      year: input.year,
      categories: input.categories,
      marginalLine,
      transitionUntil: (await this.policy.transitionWindow(input.countyCode, at)).until,
    };
  }

  /** The dry run: what the campaign would cover, from live data, before anything starts. */
  async preview(actor: AuthUser, input: CampaignStart, { byCategory: counted = true } = {}) {
    if (actor.role !== 'county') throw forbidden(CommonError.RoleNotAllowed, '年度动态调整由县级发起');
    await this.county(actor, input.countyCode);
    // A campaign is for the current year or the next (China Standard Time), never one long past or far ahead.
    const current = cstYear();
    if (input.year !== current && input.year !== current + 1)
      throw invalid('year', `只能部署 ${current} 或 ${current + 1} 年度的动态调整`);
    const rule = await this.rule(input);
    // The start needs the villages only; the per-category counts are for the officer's screen.
    const [villages, byCategory] = await Promise.all([
      this.store.preview(rule),
      counted ? this.store.categoryCounts(rule) : Promise.resolve({} as Record<string, number>),
    ]);
    const townships = new Map<string, { code: string; name: string | null; villages: number; households: number }>();
    for (const v of villages) {
      const t = townships.get(v.townshipCode) ?? { code: v.townshipCode, name: null, villages: 0, households: 0 };
      t.villages++;
      t.households += v.households;
      townships.set(v.townshipCode, t);
    }
    for (const t of townships.values()) t.name = await this.regions.name(t.code);
    return {
      countyCode: input.countyCode,
      year: input.year,
      marginalLine: rule.marginalLine,
      households: villages.reduce((n, v) => n + v.households, 0),
      byCategory: Object.fromEntries(
        input.categories.map((c) => [c, { label: SCOPE_CATEGORY_LABELS[c], households: byCategory[c] ?? 0 }]),
      ),
      townships: [...townships.values()],
      villages,
    };
  }

  /** Starts the campaign the officer previewed; `confirmHouseholds` must still be what live data gives. */
  async start(actor: AuthUser, input: CampaignStart) {
    const preview = await this.preview(actor, input, { byCategory: false });
    if (input.confirmHouseholds !== undefined && input.confirmHouseholds !== preview.households) {
      throw conflict(
        CampaignError.ScopeChanged,
        `核查范围已变化: 预览时 ${input.confirmHouseholds} 户, 现为 ${preview.households} 户, 请重新预览后确认`,
        { households: preview.households },
      );
    }
    if (preview.households === 0) throw invalid('categories', '所选范围内没有需要核查的农户');
    const county = await this.county(actor, input.countyCode);
    const at = new Date();
    const ends = {
      ...((await this.policy.value<Record<string, string>>('adjustmentCalendar', input.countyCode, at)) ?? {}),
      ...(input.calendar ?? {}),
    } as Partial<Record<CampaignPhase, string>>;
    const signOff = await this.policy.procedurePolicy('annual_adjustment', input.countyCode, at);
    const calendar = campaignCalendar(input.year, ends, at.toISOString());
    const visits = calendar.find((w) => w.phase === 'visits')!;
    if (new Date(visits.endsAt) <= at)
      throw invalid(
        'calendar',
        `${input.year} 年入户核查已于 ${(ends.visits ?? DEFAULT_CAMPAIGN_CALENDAR.visits).split('-').map(Number).join(' 月 ')} 日截止, 请调整工作日历 (calendar) 后发起`,
      );
    const data: CampaignData = {
      categories: input.categories,
      marginalLine: preview.marginalLine,
      transitionUntil: (await this.rule(input)).transitionUntil,
      calendar,
      villages: preview.villages.map((v) => ({ code: v.code, households: v.households })),
      households: preview.households,
      reminderBeforeDays: signOff.reminderBeforeDays,
      escalationGraceDays: signOff.escalationGraceDays,
    };
    return {
      ...(await this.cases.startCampaign(actor, county, input.year, data as unknown as Record<string, unknown>)),
      households: preview.households,
      calendar: data.calendar,
    };
  }

  /**
   * 数据录入延期: the county reopens data entry until the end of `until` (CST), with its reason, audited;
   * a verification recorded after the entry deadline is accepted only inside it.
   */
  async extendEntry(actor: AuthUser, id: string, input: { until: string; reason: string }) {
    if (actor.role !== 'county') throw forbidden(CommonError.RoleNotAllowed, '数据录入延期由县级批准');
    const c = await this.queries.campaignCase(actor, id);
    if (c.status !== 'OPEN') throw conflict(CampaignError.CampaignClosed, '年度动态调整已结束或已撤销');
    if (input.until < cstDate()) throw invalid('until', `延期截止日 ${input.until} 已过`);
    const endsAt = new Date(Date.parse(`${input.until}T00:00:00+08:00`) + 86_400_000).toISOString();
    await this.prisma.$transaction(async (tx) => {
      const before = await this.caseStore.mergeData(tx, c.id, { entryExtendedUntil: endsAt });
      await this.journal.record(tx, actor, {
        action: 'campaign.entry_extended',
        entity: 'case',
        entityId: c.id,
        regionCode: c.regionCode,
        caseId: c.id,
        before: { entryExtendedUntil: before.entryExtendedUntil ?? null },
        after: { entryExtendedUntil: endsAt, until: input.until, reason: input.reason },
      });
    });
    return { caseId: c.id, until: input.until, endsAt };
  }

  /** Cancels the campaign (audited); its open work is withdrawn. It may then be started again for the year. */
  async cancel(actor: AuthUser, id: string, reason: string) {
    if (actor.role !== 'county') throw forbidden(CommonError.RoleNotAllowed, '年度动态调整由县级撤销');
    const c = await this.queries.campaignCase(actor, id);
    if (c.status !== 'OPEN') throw conflict(CampaignError.CampaignClosed, '年度动态调整已结束或已撤销');
    const client = await this.temporal.client();
    try {
      return await client.workflow.getHandle(c.workflowId).executeUpdate(cancelCampaignUpdate, {
        args: [{ actor: { id: actor.id, role: actor.role, regionCode: actor.regionCode }, reason }],
      });
    } catch (err) {
      const refusal = err instanceof WorkflowUpdateFailedError ? err.cause : null;
      if (refusal instanceof ApplicationFailure && isCampaignRefusalType(refusal.type)) {
        switch (refusal.type) {
          case CampaignRefusal.Closed:
            throw conflict(CampaignError.CampaignClosed, refusal.message);
        }
      }
      if ((err as { name?: string }).name === 'WorkflowNotFoundError')
        throw conflict(CampaignError.CampaignClosed, '年度动态调整已结束');
      throw new DomainException(503, CommonError.WorkflowUnavailable, '流程引擎暂不可用, 请稍后重试');
    }
  }
}
