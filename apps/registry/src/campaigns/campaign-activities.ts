import { Injectable } from '@nestjs/common';
import {
  CampaignSubjects,
  type CampaignActivities,
  type CampaignData,
  type CampaignDeadlineEvent,
  type CampaignProgress,
} from '@jingzhun/contracts';
import { ancestorCode } from '@jingzhun/domain';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { CaseStore } from '../procedures/case.store';
import { CampaignStore, type ScopeRule } from './campaign.store';
import { CleaningService } from './cleaning.service';
import { CleaningStore } from './cleaning.store';
import { SummaryStore } from './summary.store';

const STAGE = {
  reminder: 'reminded',
  overdue: 'overdue',
  'escalated-township': 'escalated-township',
  'escalated-county': 'escalated-county',
} as const;

/**
 * The campaign's activities (queue `registry`): each one statement or one transaction with its audit
 * entry, idempotent under retries. Verifications themselves never pass through the workflow.
 */
@Injectable()
export class CampaignActivitiesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly store: CampaignStore,
    private readonly cases: CaseStore,
    private readonly journal: Journal,
    private readonly cleaning: CleaningService,
    private readonly cleaningStore: CleaningStore,
    private readonly summaries: SummaryStore,
  ) {}

  activities(): CampaignActivities {
    return {
      openVerifications: (i) => this.openVerifications(i),
      verificationDeadline: (i) => this.deadline(i.caseId, i.event),
      campaignProgress: (i) => this.progress(i.caseId),
      withdrawCampaign: (i) => this.withdraw(i),
      campaignSummary: (i) => this.summary(i.caseId),
      runCleaning: (i) => this.cleaning.run(i.caseId),
      openProblems: async (i) => ({ open: await this.cleaningStore.owed(i.caseId) }),
    };
  }

  private async campaign(caseId: string) {
    const c = await this.cases.find(caseId);
    if (!c) throw new Error(`campaign case ${caseId} not found`);
    const data = c.data as unknown as CampaignData;
    const rule: ScopeRule = {
      countyCode: c.countyCode,
      year: c.year,
      categories: data.categories,
      marginalLine: data.marginalLine,
      transitionUntil: data.transitionUntil ?? '2025-12-31',
    };
    return { c, data, rule };
  }

  async openVerifications(i: Parameters<CampaignActivities['openVerifications']>[0]) {
    const { c, rule } = await this.campaign(i.caseId);
    return this.prisma.$transaction(async (tx) => {
      const r = await this.store.openVerifications(tx, rule, i);
      if (r.opened > 0) {
        await this.journal.record(tx, SYSTEM_ACTOR, {
          action: 'campaign.verifications.opened',
          entity: 'case',
          entityId: c.id,
          regionCode: c.regionCode,
          caseId: c.id,
          after: { villages: i.villages, opened: r.opened, inScope: r.inScope, dueAt: i.dueAt },
        });
      }
      return r;
    });
  }

  /** Each late village hears of its open verifications once per stage: the village, then its township, then the county. */
  async deadline(caseId: string, event: CampaignDeadlineEvent) {
    const { c } = await this.campaign(caseId);
    const dueAt = (c.data as unknown as CampaignData).calendar.find((w) => w.phase === 'visits')!.endsAt;
    return this.prisma.$transaction(async (tx) => {
      const late = await this.store.markLate(tx, caseId, STAGE[event]);
      for (const v of late) {
        const audience =
          event === 'escalated-township'
            ? { role: 'township', regionCode: ancestorCode(v.villageCode, 'TOWNSHIP') }
            : event === 'escalated-county'
              ? { role: 'county', regionCode: c.countyCode }
              : { role: 'village', regionCode: v.villageCode };
        await this.journal.record(
          tx,
          SYSTEM_ACTOR,
          {
            action: `campaign.${event}`,
            entity: 'case',
            entityId: c.id,
            regionCode: v.villageCode,
            caseId: c.id,
            after: { villageCode: v.villageCode, open: v.open, audience },
          },
          {
            subject: CampaignSubjects.villageLate,
            data: { caseId: c.id, event, villageCode: v.villageCode, audience, open: v.open, dueAt },
          },
        );
      }
      return { villages: late.length, tasks: late.reduce((n, v) => n + v.open, 0) };
    });
  }

  progress(caseId: string): Promise<CampaignProgress> {
    return this.store.progressOf(caseId);
  }

  async withdraw(i: Parameters<CampaignActivities['withdrawCampaign']>[0]) {
    const { c } = await this.campaign(i.caseId);
    return this.prisma.$transaction(async (tx) => {
      const withdrawn = await this.store.withdrawOpen(tx, c.id);
      // The phase it reached stays on the case: a cancelled campaign shows where it stopped, not seven phases done.
      const phase = c.step.startsWith('campaign.') ? c.step.slice('campaign.'.length) : 'deployment';
      await this.cases.mergeData(tx, c.id, { cancelledAtPhase: phase });
      await this.journal.record(tx, i.actor, {
        action: 'campaign.cancelled',
        entity: 'case',
        entityId: c.id,
        regionCode: c.regionCode,
        caseId: c.id,
        after: { reason: i.reason, withdrawn, phase },
      });
      return { withdrawn };
    });
  }

  /** The year's figures as the registry gives them, kept on the case with their audit entry. */
  async summary(caseId: string) {
    const { c } = await this.campaign(caseId);
    const p = await this.progress(caseId);
    const figures = { ...(await this.summaries.figures(c.id, c.year, c.regionCode)), at: new Date().toISOString() };
    await this.prisma.$transaction(async (tx) => {
      await this.store.setCaseData(tx, c.id, { summary: figures });
      await this.journal.record(tx, SYSTEM_ACTOR, {
        action: 'campaign.summary',
        entity: 'case',
        entityId: c.id,
        regionCode: c.regionCode,
        caseId: c.id,
        after: { households: p.inScope, verified: p.verified },
      });
    });
    return { households: p.inScope, verified: p.verified };
  }
}
