import { Context } from '@temporalio/activity';
import {
  DecisionRefusal,
  type Actor,
  type CaseStatus,
  type Decision,
  type FollowUpCycle,
  type OpenTaskInput,
  type ProcedureKind,
  type ProcedurePolicy,
  type RegistryActivities,
} from '@jingzhun/contracts';
import { dueAfterTransition, nextRevisitTask } from '@jingzhun/contracts';
import { decisionRecordIssues } from '@jingzhun/domain';

export interface FakeTask extends OpenTaskInput {
  taskId: string;
  status: 'OPEN' | 'DECIDED' | 'CANCELLED';
  decision?: Decision | 'cancelled';
  events: string[];
}

/**
 * In-memory stand-in for the registry's activities (workflow tests only: the logic under test is
 * the workflow). Idempotent like the real ones: the same key opens the same task.
 */
export class FakeRegistry {
  readonly calls: { name: string; at: number; input: any }[] = [];
  readonly tasks = new Map<string, FakeTask>();
  readonly notices: {
    noticeId: string;
    regionCode: string;
    days: number;
    startsAt: string;
    endsAt: string;
    closed?: 'ended' | 'withdrawn';
  }[] = [];
  readonly objections = new Map<string, 'UPHELD' | 'DISMISSED'>();
  readonly steps: string[] = [];
  announced = 0;
  finished: { status: CaseStatus; outcome: string } | null = null;
  obstaclesAtAnnouncement: string[] = [];
  policy: ProcedurePolicy = {
    noticeDays: 7,
    signOffDays: { village: 7, township: 7, county: 10 },
    reminderBeforeDays: 2,
    escalationGraceDays: 3,
  };
  /** Follow-up: what followUpCycle answers (tests change it between cycles). */
  cycle: FollowUpCycle = {
    active: true,
    why: '过渡期内回访',
    basis: 'exited',
    helperId: 'helper-1',
    villageCode: '411599001001',
    cadence: 'P3M',
    reminderBeforeDays: 7,
    escalationGraceDays: 7,
    endsAt: null,
  };
  readonly visits: { taskId: string; form: Record<string, unknown>; late: boolean; at: number }[] = [];
  readonly systemCases: { kind: ProcedureKind; householdId: string; reason: string; data: Record<string, unknown> }[] =
    [];
  readonly finishedCases: { caseId: string; status: CaseStatus; outcome: string }[] = [];
  /** Check each decision's record against the catalogue's schema, as the registry's verifyDecider does. */
  checkRecords = false;
  /** Users the fake registry refuses as deciders (deactivated, or never existed). */
  readonly refusedDeciders = new Set<string>();
  private n = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** `at` is the server's (virtual, under time skipping) time the activity was scheduled. */
  protected record(name: string, input: unknown) {
    let at: number;
    try {
      at = Context.current().info.currentAttemptScheduledTimestampMs;
    } catch {
      at = this.clock();
    }
    this.calls.push({ name, at, input });
  }

  activities(): RegistryActivities {
    const activities: Omit<RegistryActivities, 'advance'> = {
      verifyDecider: async (input) => {
        this.record('verifyDecider', input);
        if (this.refusedDeciders.has(input.actor.id)) return { ok: false, reason: '决定人不存在或已停用' };
        const task = this.tasks.get(input.taskId);
        if (this.checkRecords && task && input.decision) {
          // The registry's check of the step's record (libs/domain's catalogue), as the real activity does it.
          const issues = decisionRecordIssues(
            task.workflowId.split('/')[0],
            task.step,
            input.decision,
            input.data ?? {},
          );
          if (issues.length > 0)
            return {
              ok: false,
              reason: issues[0].message,
              refusal: DecisionRefusal.InvalidForm,
              details: { field: issues[0].path, issues },
            };
        }
        return { ok: true, actor: input.actor };
      },
      loadPolicy: async (input) => {
        this.record('loadPolicy', input);
        return this.policy;
      },
      enterStep: async (input) => {
        this.record('enterStep', input);
        this.steps.push(input.step);
      },
      openTask: async (input) => {
        this.record('openTask', input);
        const existing = [...this.tasks.values()].find((t) => t.key === input.key);
        if (existing) return { taskId: existing.taskId };
        const taskId = input.taskId ?? `task-${++this.n}`;
        this.tasks.set(taskId, { ...input, taskId, status: 'OPEN', events: [] });
        return { taskId };
      },
      closeTask: async (input) => {
        this.record('closeTask', input);
        const t = this.tasks.get(input.taskId);
        if (!t) return; // another test's workflow: not ours to record
        t.status = input.decision === 'cancelled' ? 'CANCELLED' : 'DECIDED';
        t.decision = input.decision;
      },
      taskDeadline: async (input) => {
        this.record('taskDeadline', input);
        this.tasks.get(input.taskId)?.events.push(input.event);
      },
      publishNotice: async (input) => {
        this.record('publishNotice', input);
        const existing = this.notices.find((x) => x.noticeId === input.noticeId);
        if (existing) return { noticeId: existing.noticeId };
        const noticeId = input.noticeId ?? `notice-${++this.n}`;
        this.notices.push({
          noticeId,
          regionCode: input.regionCode,
          days: input.days,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
        });
        return { noticeId };
      },
      closeNotice: async (input) => {
        this.record('closeNotice', input);
        const n = this.notices.find((x) => x.noticeId === input.noticeId);
        if (n) n.closed = input.withdrawn ? 'withdrawn' : 'ended';
      },
      resolveObjection: async (input) => {
        this.record('resolveObjection', input);
        this.objections.set(input.objectionId, input.finding);
      },
      announce: async (input) => {
        this.record('announce', input);
        if (this.obstaclesAtAnnouncement.length) return { applied: false, obstacles: this.obstaclesAtAnnouncement };
        this.announced++;
        return { applied: true, obstacles: [] };
      },
      finishCase: async (input) => {
        this.record('finishCase', input);
        this.finished = { status: input.status, outcome: input.outcome };
        this.finishedCases.push(input);
      },
      caseLate: async (input) => {
        this.record('caseLate', input);
      },
      openSystemCase: async (input) => {
        this.record('openSystemCase', input);
        this.systemCases.push(input);
        return { caseId: `case-${++this.n}`, workflowId: `${input.kind}/${input.householdId}/x`, alreadyOpen: false };
      },
      followUpCycle: async (input) => {
        this.record('followUpCycle', input);
        return this.cycle;
      },
      reassignTask: async (input) => {
        this.record('reassignTask', input);
        const t = this.tasks.get(input.taskId);
        if (t) t.assigneeId = input.assigneeId;
      },
      recordRevisit: async (input) => {
        if (input.close) await activities.closeTask(input.close);
        this.record('recordRevisit', input);
        const at = this.calls.at(-1)!.at;
        if (!this.visits.some((v) => v.taskId === input.taskId))
          this.visits.push({ taskId: input.taskId, form: input.form, late: input.late, at });
        const form = input.form as { incomeChange?: string; newRisks?: string[] };
        const riskReasons = [...(form.newRisks ?? []), ...(form.incomeChange === 'down' ? ['income'] : [])];
        const visitId = `visit-${input.taskId}`;
        if (!input.next) return { visitId, riskReasons };
        // 'lean-cycle': the next cycle opens with the visit, as the registry does in its transaction.
        const cycle = this.cycle;
        const { cycle: n, dueAt } = input.next;
        const due = cycle.active && !dueAfterTransition(cycle, dueAt);
        if (!due) return { visitId, riskReasons, next: { cycle, taskId: null } };
        const { taskId } = await activities.openTask(nextRevisitTask(input.caseId, input.next, cycle.helperId));
        await activities.enterStep({ caseId: input.caseId, step: 'revisit', dueAt, round: n });
        return { visitId, riskReasons, next: { cycle, taskId } };
      },
    };
    return {
      ...activities,
      // One transaction in the registry; here the same parts in the same order, each recorded under its own name too.
      advance: async (input) => {
        this.record('advance', input);
        for (const close of input.close) await activities.closeTask(close);
        const noticeId = input.notice ? (await activities.publishNotice(input.notice)).noticeId : null;
        const taskId = input.open ? (await activities.openTask(input.open)).taskId : null;
        if (input.step) await activities.enterStep(input.step);
        return { taskId, noticeId };
      },
    };
  }

  open(step: string): FakeTask | undefined {
    return [...this.tasks.values()].find((t) => t.step === step && t.status === 'OPEN');
  }
}

export const actors: Record<string, Actor> = {
  village: { id: 'v1', role: 'village', regionCode: '411599001001' },
  township: { id: 't1', role: 'township', regionCode: '411599001000' },
  county: { id: 'c1', role: 'county', regionCode: '411599000000' },
  otherTownship: { id: 't2', role: 'township', regionCode: '411599002000' },
};
