import { Injectable } from '@nestjs/common';
import { campaignStateQuery, type CampaignData, type CampaignState } from '@jingzhun/contracts';
import { ancestorCode, isWithin, type CampaignPhase } from '@jingzhun/domain';
import { assertJurisdiction, notFound, TemporalClientService, type AuthUser } from '@jingzhun/platform';
import { CaseStore } from '../procedures/case.store';
import { RegionStore } from '../regions/region.store';
import { CampaignStore } from './campaign.store';
import { CleaningStore } from './cleaning.store';

/** A campaign as its page shows it: the workflow's state, progress per township, cases and problem items, the audit. */
export type CampaignView = CampaignState & {
  townships: { code: string; name: string | null; inScope: number; verified: number }[];
  cases: { kind: string; status: string; n: number }[];
  problems: {
    townshipCode: string;
    name: string | null;
    open: number;
    explained: number;
    fixed: number;
    accepted: number;
    rejected: number;
  }[];
  audit: { taskId: string; openedAt: string; dueAt: string; owed: number } | null;
};

/** The campaigns' reads: the county's list and one campaign's page (the workflow's phase with live progress). */
@Injectable()
export class CampaignQueries {
  constructor(
    private readonly store: CampaignStore,
    private readonly cleaning: CleaningStore,
    private readonly regions: RegionStore,
    private readonly caseStore: CaseStore,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The campaigns of the caller's county (a township officer sees its county's), newest first. */
  async list(actor: AuthUser) {
    const county = actor.role === 'admin' ? undefined : ancestorCode(actor.regionCode, 'COUNTY');
    const { rows } = await this.caseStore.page(
      { kind: 'annual_adjustment', ...(county ? { regionCode: county } : {}) },
      1,
      50,
    );
    return rows.map((c) => ({
      id: c.id,
      workflowId: c.workflowId,
      countyCode: c.countyCode,
      year: c.year,
      status: c.status,
      step: c.step,
      dueAt: c.dueAt,
      households: (c.data as unknown as CampaignData).households,
      createdAt: c.createdAt,
      outcome: c.outcome,
    }));
  }

  /** The campaign case if the caller may see it: from the county and from each township inside it. */
  async campaignCase(actor: AuthUser, id: string) {
    const c = await this.caseStore.findCampaign(id);
    if (!c) throw notFound('年度动态调整', id);
    // The county's campaign is seen from the county and from each township inside it.
    if (!isWithin(c.regionCode, actor.regionCode)) assertJurisdiction(actor, c.regionCode);
    return c;
  }

  /** The campaign as its workflow holds it (phase, calendar, per-village progress); the registry's row once it ended. */
  async get(actor: AuthUser, id: string): Promise<CampaignView> {
    const c = await this.campaignCase(actor, id);
    const client = await this.temporal.client();
    const data = c.data as unknown as CampaignData;
    const held =
      c.status === 'OPEN'
        ? await client.workflow
            .getHandle(c.workflowId)
            .query(campaignStateQuery)
            .catch(() => null)
        : null;
    // The phase is the workflow's; the progress is read live here (the workflow reads it once a day).
    const progress = await this.store.progressOf(c.id);
    const state: CampaignState = held
      ? { ...held, progress, progressAt: new Date().toISOString() }
      : {
          caseId: c.id,
          workflowId: c.workflowId,
          countyCode: c.countyCode,
          year: c.year,
          phase:
            c.status === 'CANCELLED'
              ? ((data as CampaignData & { cancelledAtPhase?: CampaignPhase }).cancelledAtPhase ?? 'finished')
              : 'finished',
          status: c.status === 'CANCELLED' ? 'CANCELLED' : c.status === 'OPEN' ? 'OPEN' : 'COMPLETED',
          calendar: data.calendar,
          progress,
          progressAt: new Date().toISOString(),
        };
    // An officer below the county sees their own townships and villages only.
    const mine = state.progress.villages.filter((v) => isWithin(actor.regionCode, v.villageCode));
    const townships = new Map<string, { code: string; name: string | null; inScope: number; verified: number }>();
    for (const v of mine) {
      const t = townships.get(v.townshipCode) ?? { code: v.townshipCode, name: null, inScope: 0, verified: 0 };
      t.inScope += v.inScope;
      t.verified += v.verified;
      townships.set(v.townshipCode, t);
    }
    // Township names, each read once for both lists.
    const names = new Map<string, Promise<string | null>>();
    const name = (code: string) => names.get(code) ?? names.set(code, this.regions.name(code)).get(code)!;
    for (const t of townships.values()) t.name = await name(t.code);
    // The progress page's other charts: the cases the verifications opened, the problem items per township.
    const inside = (code: string) => isWithin(actor.regionCode, code);
    const [cases, counts, audit] = await Promise.all([
      this.store.casesOpened(c.id),
      this.cleaning.countsByTownship(c.id),
      this.store.openAudit(c.id),
    ]);
    const problems = new Map<string, CampaignView['problems'][number]>();
    for (const row of counts.filter((r) => inside(r.townshipCode))) {
      const t = problems.get(row.townshipCode) ?? {
        townshipCode: row.townshipCode,
        name: await name(row.townshipCode),
        open: 0,
        explained: 0,
        fixed: 0,
        accepted: 0,
        rejected: 0,
      };
      t[row.status.toLowerCase() as 'open' | 'explained' | 'fixed' | 'accepted' | 'rejected'] += row.n;
      problems.set(row.townshipCode, t);
    }
    return {
      ...state,
      progress: { ...state.progress, villages: mine },
      townships: [...townships.values()],
      cases,
      problems: [...problems.values()],
      // 县级审核: open once no township owes an item, or at the cleaning window's end with what remains (the townships' owed counts).
      audit: audit && {
        taskId: audit.id,
        openedAt: audit.createdAt.toISOString(),
        dueAt: audit.dueAt.toISOString(),
        owed: [...problems.values()].reduce((n, t) => n + t.open + t.rejected, 0),
      },
    };
  }
}
