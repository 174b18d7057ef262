import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { CaseSubjects, followUpWorkflowId } from '@jingzhun/contracts';
import { addCadence, ancestorCode, cstYear } from '@jingzhun/domain';
import { CONFIG, type RegistryConfig } from '@jingzhun/platform';
import type { Case } from '../generated/prisma/client';
import { Journal, SYSTEM_ACTOR, type JournalLine } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { PolicyService } from '../procedures/policy.service';
import { WorkflowStarter } from '../procedures/workflow-starter';
import { FollowUpCoverageStore, type UncoveredHousehold } from './follow-up-coverage.store';
import { firstRevisit } from './first-revisit';

const BATCH = 200;

/** Where the registry's follow-up coverage stands: what is needed, what runs, and the sweep under way. */
export interface CoverageStatus {
  needed: number;
  exited: number;
  monitored: number;
  live: number;
  sweep: SweepProgress | null;
}

export interface SweepProgress {
  startedAt: string;
  finishedAt: string | null;
  /** Households found without the follow-up they need, and how many were started so far. */
  missing: number;
  started: number;
  /** Follow-ups ended because their household no longer needs one (returned, closed, removed, window over). */
  ended: number;
  failed: number;
}

/**
 * 回访全覆盖: every EXITED household inside its transition window and every MONITORED household
 * has exactly one live follow-up, whatever way it got its status (a procedure, registration,
 * import, the seed), and a follow-up ends when its household leaves that state (DESIGN.md
 * "Follow-up for every household that needs it"). The registry sweeps in the background: on start,
 * every FOLLOW_UP_SWEEP_SECONDS, and at once when a status changes. A sweep creates the missing
 * cases in batches (one transaction per batch, each with its audit entry and event) and starts
 * their workflows with their first revisit spread over the cadence and their first workflow task
 * delayed until near it, so that thousands of starts neither flood the helpers' inboxes on one
 * day nor load the workflow worker now. Idempotent: a household's open case key is unique.
 */
@Injectable()
export class FollowUpCoverage implements OnApplicationShutdown {
  private readonly log = new Logger('FollowUpCoverage');
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<SweepProgress> | null = null;
  private again = false;
  private stopping = false;
  private last: SweepProgress | null = null;

  constructor(
    private readonly store: FollowUpCoverageStore,
    private readonly policy: PolicyService,
    private readonly starter: WorkflowStarter,
    private readonly journal: Journal,
    private readonly prisma: PrismaService,
    @Inject(CONFIG) private readonly config: RegistryConfig,
  ) {}

  /** Called once the service answers (main.ts): the first sweep a few seconds later, then on the configured interval. */
  keepCovered(firstAfterMs = 3_000): void {
    const every = this.config.FOLLOW_UP_SWEEP_SECONDS;
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => this.request(0), every * 1000);
    this.timer.unref();
    this.request(firstAfterMs);
  }

  /** Asks for a sweep soon (a household's status changed); many requests make one sweep. */
  request(afterMs = 1_000): void {
    if (!this.timer || this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.sweep().catch((err) => this.log.error(`回访覆盖检查失败: ${(err as Error).message}`));
    }, afterMs);
    this.soon.unref();
  }

  /** The figures for a jurisdiction (a region code's prefix; '' for the whole registry). */
  async status(regionPrefix = ''): Promise<CoverageStatus> {
    const counts = await this.store.counts(await this.openCounties(new Date()), regionPrefix);
    return { ...counts, sweep: this.last };
  }

  /** One sweep (a second call while one runs waits for it and runs once more). */
  async sweep(): Promise<SweepProgress> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.sweepOnce().finally(() => {
      this.running = null;
      if (this.again && !this.stopping) {
        this.again = false;
        this.request(0);
      }
    });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepProgress> {
    const now = new Date();
    const open = await this.openCounties(now);
    const p: SweepProgress = {
      startedAt: now.toISOString(),
      finishedAt: null,
      missing: 0,
      started: 0,
      ended: 0,
      failed: 0,
    };
    this.last = p;
    const { needed, live } = await this.store.counts(open);
    // A backlog (go-live, an import, the seed) is spread over the cadence; a few households that just entered the state start as a procedure starts them.
    const spread = needed - live > BATCH;
    let reported = Date.now();
    // Pipelined: the next batch's cases are written while this batch's workflows start.
    let starting: Promise<void> = Promise.resolve();
    for (;;) {
      if (this.stopping) break;
      const batch = await this.store.uncovered(open, BATCH);
      if (batch.length === 0) break;
      p.missing += batch.length;
      const created = await this.createBatch(batch, now, spread);
      await starting;
      starting = this.startCreated(created, p);
      if (Date.now() - reported > 5_000) {
        reported = Date.now();
        this.log.log(`回访覆盖: 已启动 ${p.started} 户 (需回访 ${needed}, 开始时在办 ${live})`);
      }
      // Nothing could start (the engine is down): stop here, the next sweep retries.
      if (p.failed > 0 && p.started === 0) break;
    }
    await starting;
    for (;;) {
      if (this.stopping) break;
      const outlived = await this.store.outlived(open, BATCH);
      const ended = p.ended;
      for (const c of outlived) await this.end(c, p);
      // The last page, or one where nothing could be ended (the engine is down): the next sweep goes on.
      if (outlived.length < BATCH || p.ended === ended) break;
    }
    p.finishedAt = new Date().toISOString();
    if (p.started + p.ended + p.failed > 0)
      this.log.log(`回访覆盖检查完成: 新启动 ${p.started}, 结束 ${p.ended}, 失败 ${p.failed}`);
    return p;
  }

  /** The counties whose transition window is open now (their exited households are followed up). */
  private async openCounties(at: Date): Promise<string[]> {
    const out: string[] = [];
    for (const c of await this.store.counties()) if (await this.policy.inTransition(c, at)) out.push(c);
    return out;
  }

  /** The batch's cases, audit and events in one transaction; the ones this replica owns are returned to be started. */
  private async createBatch(batch: UncoveredHousehold[], now: Date, spread: boolean): Promise<Planned[]> {
    const cadences = new Map<string, string>();
    const plan: Planned[] = [];
    for (const h of batch) {
      const basis = h.status === 'MONITORED' ? 'monitored' : 'exited';
      const key = `${basis}/${h.villageCode.slice(0, 6)}`;
      if (!cadences.has(key)) cadences.set(key, (await this.policy.revisitPolicy(basis, h.villageCode, now)).cadence);
      const { firstDueAt, startDelayMs } = spread
        ? firstRevisit(h.id, cadences.get(key)!, now)
        : { firstDueAt: addCadence(now, cadences.get(key)!), startDelayMs: 0 };
      const id = randomUUID();
      const c = {
        id,
        kind: 'follow_up',
        workflowId: followUpWorkflowId(h.id, id),
        householdId: h.id,
        regionCode: h.villageCode,
        townshipCode: ancestorCode(h.villageCode, 'TOWNSHIP'),
        countyCode: ancestorCode(h.villageCode, 'COUNTY'),
        year: cstYear(now),
        status: 'OPEN',
        step: 'started',
        round: 1,
        dueAt: firstDueAt,
        reason: h.status === 'MONITORED' ? '监测对象, 按月回访 (系统补建)' : '过渡期内已脱贫户回访 (系统补建)',
        data: { basis: h.status === 'MONITORED' ? 'monitored' : 'exited', by: 'coverage' },
        outcome: null,
        openKey: `follow_up/${h.id}`,
        openedBy: SYSTEM_ACTOR.id,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      } as Case;
      plan.push({ c, h, firstDueAt, startDelayMs });
    }
    // One transaction for the batch; a household another replica covered meanwhile is skipped (its open key is taken).
    return this.prisma.$transaction(async (tx) => {
      const ours = await this.store.createCases(
        tx,
        plan.map(({ c }) => c),
      );
      const mine = plan.filter(({ c }) => ours.has(c.id));
      const lines: JournalLine[] = mine.map(({ c }) => ({
        entry: {
          action: 'case.opened',
          entity: 'case',
          entityId: c.id,
          householdId: c.householdId,
          regionCode: c.regionCode,
          caseId: c.id,
          after: {
            kind: 'follow_up',
            year: c.year,
            reason: c.reason,
            workflowId: c.workflowId,
            by: 'system',
            firstDueAt: c.dueAt,
          },
        },
        event: {
          subject: CaseSubjects.opened,
          data: {
            caseId: c.id,
            kind: 'follow_up',
            householdId: c.householdId,
            regionCode: c.regionCode,
            workflowId: c.workflowId,
          },
        },
      }));
      await this.journal.recordMany(tx, SYSTEM_ACTOR, lines);
      return mine;
    });
  }

  /** Starts the created cases' workflows, FOLLOW_UP_SWEEP_CONCURRENCY at a time; a case whose start failed is closed again. */
  private async startCreated(created: Planned[], p: SweepProgress): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < created.length) {
        const { c, h, firstDueAt, startDelayMs } = created[next++];
        try {
          await this.starter.start(c, h.number, SYSTEM_ACTOR, { firstDueAt, startDelayMs, villageName: h.villageName });
          p.started++;
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) p.started++;
          else {
            // Closed again so that the next sweep starts it afresh.
            p.failed++;
            await this.store.cancelUnstarted(c.id);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: this.config.FOLLOW_UP_SWEEP_CONCURRENCY }, worker));
  }

  private async end(c: Case & { householdNumber: string; householdStatus: string }, p: SweepProgress): Promise<void> {
    const why = c.householdStatus === 'EXITED' ? '过渡期结束, 回访完成' : `户状态变为 ${c.householdStatus}, 回访结束`;
    try {
      await this.starter.stopFollowUp(c, c.householdNumber, why);
      p.ended++;
    } catch (err) {
      p.failed++;
      this.log.warn(`回访 ${c.id} 未能结束: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
  }
}

type Planned = { c: Case; h: UncoveredHousehold; firstDueAt: Date; startDelayMs: number };
