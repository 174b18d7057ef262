import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  campaignStateQuery,
  cancelCampaignUpdate,
  SearchKeys,
  TaskQueues,
  type Actor,
  type CampaignActivities,
  type CampaignData,
  type CampaignPhaseName,
  type CampaignState,
  type ScopeVillage,
  CampaignRefusal,
  refuseCampaign,
} from '@jingzhun/contracts/src/workflow';
import { DAY_MS, type Procedure } from './procedure';

export const campaignActivities = proxyActivities<CampaignActivities>({
  taskQueue: TaskQueues.registry,
  // A batch of villages is one INSERT … SELECT; the summary reads the whole county.
  startToCloseTimeout: '5m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** Households per `openVerifications` batch: one statement each, well inside its timeout at 100 000. */
export const VERIFICATION_BATCH = 5_000;

/** Villages in batches of at most `limit` households (a bigger village goes alone), in the dry run's order. */
export function villageBatches(villages: ScopeVillage[], limit = VERIFICATION_BATCH): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const v of villages) {
    if (current.length > 0 && size + v.households > limit) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(v.code);
    size += v.households;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The campaign's state around the procedure it runs on: its phase, the calendar, the progress read
 * from the registry, and the cancellation that interrupts whatever it waits for.
 */
export class Campaign {
  readonly data: CampaignData;
  readonly state: CampaignState;
  readonly scope = new CancellationScope();
  cancellation: { actor: Actor; reason: string } | null = null;
  private finished = false;

  constructor(readonly p: Procedure) {
    this.data = p.input.data as unknown as CampaignData;
    this.state = {
      caseId: p.input.caseId,
      workflowId: p.input.workflowId,
      countyCode: p.input.countyCode,
      year: p.input.year,
      phase: 'deployment',
      status: 'OPEN',
      calendar: this.data.calendar,
      progress: { inScope: this.data.households, opened: 0, verified: 0, villages: [], casesByKind: {} },
      progressAt: null,
    };
    setHandler(campaignStateQuery, () => JSON.parse(JSON.stringify(this.state)) as CampaignState);
    setHandler(
      cancelCampaignUpdate,
      async (c) => {
        this.cancellation = c;
        this.scope.cancel();
        await condition(() => this.finished);
        return JSON.parse(JSON.stringify(this.state)) as CampaignState;
      },
      {
        validator: (_request) => {
          if (this.cancellation || this.state.status !== 'OPEN')
            throw refuseCampaign(CampaignRefusal.Closed, '年度动态调整已结束或已撤销');
        },
      },
    );
    upsertSearchAttributes([{ key: SearchKeys.CampaignYear, value: p.input.year }]);
  }

  window(phase: CampaignPhaseName): { startsAt: number; endsAt: number } {
    const w = this.data.calendar.find((x) => x.phase === phase)!;
    return { startsAt: new Date(w.startsAt).getTime(), endsAt: new Date(w.endsAt).getTime() };
  }

  /** Enters a phase: the case's step (audited), the search attribute admins filter by. */
  async enterPhase(phase: CampaignPhaseName): Promise<void> {
    this.state.phase = phase;
    upsertSearchAttributes([{ key: SearchKeys.CampaignPhase, value: phase }]);
    await this.p.enterStep(`campaign.${phase}`, new Date(this.window(phase).endsAt).toISOString());
  }

  /**
   * Opens every verification task, batch by batch, due at the end of the visit phase. Since
   * 'verification-batches-in-pairs' (#23) two batches go at once: different villages, no row in
   * common, and PostgreSQL writes each on a core of its own.
   */
  async openVerifications(): Promise<void> {
    const dueAt = new Date(this.window('visits').endsAt).toISOString();
    const batches = villageBatches(this.data.villages);
    const open = (villages: string[]) =>
      campaignActivities.openVerifications({
        caseId: this.p.input.caseId,
        workflowId: this.p.input.workflowId,
        villages,
        dueAt,
      });
    const width = patched('verification-batches-in-pairs') ? 2 : 1;
    for (let i = 0; i < batches.length; i += width)
      for (const r of await Promise.all(batches.slice(i, i + width).map(open))) this.state.progress.opened += r.opened;
  }

  /** The registry's count is the truth (tasks opened, verified); the workflow only holds the last reading. */
  async refreshProgress(): Promise<void> {
    this.state.progress = await campaignActivities.campaignProgress({ caseId: this.p.input.caseId });
    this.state.progressAt = new Date().toISOString();
  }

  get allVerified(): boolean {
    return this.state.progress.inScope > 0 && this.state.progress.verified >= this.state.progress.inScope;
  }

  /** Waits until `at` (ms) or until every household is verified (true), reading the progress once a day. */
  untilOrVerified(at: number): Promise<boolean> {
    return this.daily(at, async () => {
      await this.refreshProgress();
      return this.allVerified;
    });
  }

  /** Waits until no township owes a problem item (true) or until `at`, reading the count once a day. */
  untilProblemsClosed(at: number): Promise<boolean> {
    return this.daily(
      at,
      async () => (await campaignActivities.openProblems({ caseId: this.p.input.caseId })).open === 0,
    );
  }

  /**
   * Checks `done` now and then once a day until it holds (true) or `at` passes (false): 100 000
   * verifications and problem items reach the registry, not this workflow's history.
   */
  private async daily(at: number, done: () => Promise<boolean>): Promise<boolean> {
    for (;;) {
      if (await done()) return true;
      const now = Date.now();
      if (now >= at) return false;
      await sleepUntil(Math.min(at, now + DAY_MS));
    }
  }

  async sleepUntil(at: number): Promise<void> {
    await sleepUntil(at);
  }

  /** Runs the campaign's phases; a cancellation withdraws the open work and ends the case CANCELLED. */
  async run(phases: () => Promise<void>): Promise<CampaignState> {
    try {
      await this.scope.run(phases);
      await this.p.finish(
        'COMPLETED',
        `${this.state.year} 年度动态调整完成: 核查 ${this.state.progress.verified} / ${this.state.progress.inScope} 户`,
      );
      this.state.status = 'COMPLETED';
    } catch (err) {
      if (!this.cancellation || !isCancellation(err)) throw err;
      const { actor, reason } = this.cancellation;
      await CancellationScope.nonCancellable(async () => {
        await campaignActivities.withdrawCampaign({ caseId: this.p.input.caseId, actor, reason });
        await this.p.finish('CANCELLED', `已撤销: ${reason}`);
      });
      this.state.status = 'CANCELLED';
    }
    this.state.phase = 'finished';
    upsertSearchAttributes([{ key: SearchKeys.CampaignPhase, value: 'finished' }]);
    this.finished = true;
    return this.state;
  }
}

async function sleepUntil(at: number): Promise<void> {
  const ms = at - Date.now();
  if (ms > 0) await sleep(ms);
}
