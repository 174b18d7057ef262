import { AnnouncementsService } from './announcements.service';
import { FollowUpCoverage } from '../follow-ups/follow-up-coverage';
import { Injectable } from '@nestjs/common';
import type {
  Actor,
  AdvanceInput,
  CloseTaskInput,
  FollowUpCycle,
  RecordRevisitInput,
  RecordRevisitResult,
  RegistryActivities,
} from '@jingzhun/contracts';
import { dueAfterTransition, nextRevisitTask } from '@jingzhun/contracts';
import { revisitFormSchema, revisitRiskReasons } from '@jingzhun/domain';
import { DomainException } from '@jingzhun/platform';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { AnnouncementEffects } from './announcement-effects';
import { CaseStore } from './case.store';
import { CasesService } from './cases.service';
import { DecisionAuthority } from './decision-authority';
import { NoticeStore } from './notice.store';
import { PolicyService } from './policy.service';
import { Preconditions } from './preconditions';
import { TaskStore } from './task.store';
import { VisitStore } from './visit.store';
import { VerificationFindings } from './verification-findings';
import { UserStore } from '../users/user.store';
import { SYSTEM_ACTOR } from '../journal/journal';

/**
 * The registry's activities (task queue `registry`): a binding table from each activity to the
 * store or service that does it. Each activity is one transaction, so a change, its audit entry
 * and its outbox event commit together, and each is idempotent under Temporal's retries.
 */
@Injectable()
export class RegistryActivitiesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly policy: PolicyService,
    private readonly preconditions: Preconditions,
    private readonly cases: CasesService,
    private readonly caseStore: CaseStore,
    private readonly tasks: TaskStore,
    private readonly notices: NoticeStore,
    private readonly visits: VisitStore,
    private readonly effects: AnnouncementEffects,
    private readonly authority: DecisionAuthority,
    private readonly findings: VerificationFindings,
    private readonly users: UserStore,
    private readonly coverage: FollowUpCoverage,
    private readonly announcements: AnnouncementsService,
  ) {}

  activities(): RegistryActivities {
    const inTx = <T>(work: (tx: Tx) => Promise<T>) => this.prisma.$transaction(work);
    return {
      verifyDecider: (i) => this.authority.verify(i),
      loadPolicy: (i) => this.policy.procedurePolicy(i.kind, i.regionCode, new Date(i.at)),
      enterStep: (i) => inTx((tx) => this.caseStore.enterStep(tx, i)),
      openTask: async (i) => ({ taskId: await inTx((tx) => this.tasks.open(tx, i)) }),
      closeTask: (i) => inTx((tx) => this.closeDecided(tx, i)),
      advance: (i) => this.advance(i),
      taskDeadline: (i) => inTx((tx) => this.tasks.deadline(tx, i)),
      reassignTask: (i) => inTx((tx) => this.tasks.reassign(tx, i)),
      publishNotice: async (i) => ({ noticeId: await inTx((tx) => this.notices.publish(tx, i)) }),
      closeNotice: (i) => inTx((tx) => this.notices.close(tx, i)),
      resolveObjection: (i) => inTx((tx) => this.notices.resolveObjection(tx, i)),
      announce: (i) => this.announce(i),
      finishCase: (i) => inTx((tx) => this.caseStore.finish(tx, i)),
      caseLate: (i) => inTx((tx) => this.caseStore.markLate(tx, i)),
      openSystemCase: (i) => this.openSystemCase(i),
      followUpCycle: (i) => this.followUpCycle(i),
      recordRevisit: (i) => this.recordRevisit(i),
    };
  }

  /** A decision's consequences in one transaction (see AdvanceInput): closes, notice, next task, next step. */
  async advance(i: AdvanceInput): Promise<{ taskId: string | null; noticeId: string | null }> {
    return this.prisma.$transaction(async (tx) => {
      for (const close of i.close) await this.closeDecided(tx, close);
      const noticeId = i.notice ? await this.notices.publish(tx, i.notice) : null;
      const taskId = i.open ? await this.tasks.open(tx, i.open) : null;
      if (i.step) await this.caseStore.enterStep(tx, i.step);
      return { taskId, noticeId };
    });
  }

  /** Closes a task; an approved verification visit's findings become the year's assessment in the same transaction. */
  private async closeDecided(tx: Tx, close: CloseTaskInput): Promise<void> {
    const closed = await this.tasks.close(tx, close);
    if (closed) await this.findings.record(tx, closed, close);
  }

  /** 公告: re-check, then change the registry with its audit entry in one transaction. */
  async announce(i: {
    caseId: string;
    actor: Actor | null;
    decisions: Record<string, Record<string, unknown>>;
  }): Promise<{ applied: boolean; obstacles: string[] }> {
    const r = await this.announceInTx(i);
    // A status changed: the follow-up coverage sweeps now (starts one, or ends one that outlived its need).
    if (r.applied) this.coverage.request();
    return r;
  }

  private async announceInTx(i: {
    caseId: string;
    actor: Actor | null;
    decisions: Record<string, Record<string, unknown>>;
  }): Promise<{ applied: boolean; obstacles: string[] }> {
    return this.prisma.$transaction(async (tx) => {
      const { case: c, household, region } = await this.caseStore.forAnnouncement(tx, i.caseId);
      if (c.status !== 'OPEN' || c.step === 'announced') return { applied: true, obstacles: [] }; // a retry after commit
      const approval = i.decisions.approval ?? {};
      // The approving decision's data (the county's monitoring type) is part of what is checked again.
      const data = {
        ...(c.data as Record<string, unknown>),
        ...(typeof approval.monitoringType === 'string' ? { monitoringType: approval.monitoringType } : {}),
      };
      const obstacles = await this.preconditions.obstacles(
        tx,
        { kind: c.kind as never, year: c.year, household, region, data },
        'announcement',
      );
      if (obstacles.length > 0) return { applied: false, obstacles };
      await this.effects.apply(tx, c, approval, await this.announcer(tx, approval));
      await this.caseStore.markAnnounced(tx, c.id);
      // 一公告: published as a record of its own (number, date, household number, decision), printable.
      await this.announcements.publish(tx, c, household);
      return { applied: true, obstacles: [] };
    });
  }

  /** 公告 is recorded in the name of the officer whose approval it follows, with their real role (the system's when none). */
  private async announcer(tx: Tx, approval: Record<string, unknown>): Promise<Actor> {
    const user = typeof approval.by === 'string' ? await this.users.find(approval.by, tx) : null;
    return user ? { id: user.id, role: user.role, regionCode: user.regionCode } : SYSTEM_ACTOR;
  }

  /**
   * A case the system opens. Preconditions that do not hold (the household changed meanwhile) are an
   * answer, not a failure: retrying would not change them, so the caller hears `refused` and goes on.
   */
  async openSystemCase(
    i: Parameters<RegistryActivities['openSystemCase']>[0],
  ): ReturnType<RegistryActivities['openSystemCase']> {
    try {
      return await this.cases.startBySystem(i.kind, i.householdId, i.reason, i.data);
    } catch (err) {
      if (err instanceof DomainException && err.status === 409)
        return { caseId: null, workflowId: null, alreadyOpen: false, refused: err.message };
      throw err;
    }
  }

  /** The coming cycle of a household's follow-up: still due?, on what cadence, by whom. */
  async followUpCycle(i: { householdId: string; at: string }): Promise<FollowUpCycle> {
    const h = await this.visits.householdForCycle(i.householdId);
    const at = new Date(i.at);
    const basis = h.status === 'MONITORED' ? 'monitored' : 'exited';
    const p = await this.policy.revisitPolicy(basis, h.villageCode, at);
    const base = { basis, helperId: h.helperId, villageCode: h.villageCode, ...p, endsAt: null } as FollowUpCycle;
    if (h.status === 'MONITORED') return { ...base, active: true, why: '监测对象, 按月回访' };
    if (h.status !== 'EXITED') return { ...base, active: false, why: `户状态为 ${h.status}, 不再回访` };
    // 过渡期: the policy's window (national, or a province's extension), the same for every exited household.
    const w = await this.policy.transitionWindow(h.villageCode, at);
    const endsAt = w.endsAt;
    if (at < w.startsAt || endsAt <= at)
      return { ...base, active: false, why: `过渡期 (${w.from} 至 ${w.until}) 之外, 不再回访` };
    return { ...base, active: true, why: '过渡期内回访', endsAt: endsAt.toISOString() };
  }

  /**
   * 回访 record from the revisit task's decision, closing the task in the same transaction when asked;
   * with `next` ('lean-cycle', #23) the household's coming cycle is read again and, while a revisit
   * is due, its task and step are written in the same transaction: one statement group per cycle.
   */
  async recordRevisit(i: RecordRevisitInput): Promise<RecordRevisitResult> {
    const form = revisitFormSchema.parse(i.form);
    const riskReasons = revisitRiskReasons(form);
    const cycle = i.next
      ? await this.followUpCycle({ householdId: i.householdId, at: new Date().toISOString() })
      : null;
    const opens = i.next && cycle?.active && !dueAfterTransition(cycle, i.next.dueAt);
    return this.prisma.$transaction(async (tx) => {
      if (i.close) await this.tasks.close(tx, i.close);
      const visitId = await this.visits.record(tx, {
        caseId: i.caseId,
        taskId: i.taskId,
        householdId: i.householdId,
        actor: i.actor,
        late: i.late,
        form,
        riskReasons,
        recordedAt: i.recordedAt,
      });
      if (!i.next || !cycle) return { visitId, riskReasons };
      let taskId: string | null = null;
      if (opens) {
        taskId = await this.tasks.open(tx, nextRevisitTask(i.caseId, i.next, cycle.helperId));
        await this.caseStore.enterStep(tx, {
          caseId: i.caseId,
          step: 'revisit',
          dueAt: i.next.dueAt,
          round: i.next.cycle,
        });
      }
      return { visitId, riskReasons, next: { cycle, taskId } };
    });
  }
}
