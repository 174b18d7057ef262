import { Injectable } from '@nestjs/common';
import { CaseSubjects, NoticeSubjects, RegistrySubjects, RevisitSubjects, TaskSubjects, type Actor, type CaseStatus, type FollowUpCycle, type RegistryActivities } from '@jingzhun/contracts';
import { netIncomePerHead, revisitFormSchema, revisitRiskReasons } from '@jingzhun/domain';
import { DomainException } from '@jingzhun/platform';
import type { Case, Prisma } from '../generated/prisma/client';
import { IdNumberVault, type SealedIdNumber } from '../id-numbers/id-number-vault';
import { memberInputSchema } from '@jingzhun/domain';
import { memberRow } from '../households/member-row';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { noticeText } from './notice-text';
import { PolicyService } from './policy.service';
import { CasesService } from './cases.service';
import { Preconditions } from './preconditions';

const json = (v: unknown) => JSON.parse(JSON.stringify(v ?? {})) as Prisma.InputJsonValue;

/**
 * The registry's activities (task queue `registry`): every side effect of a procedure, each one
 * transaction with its audit entry and outbox event, each idempotent under Temporal's retries
 * (keyed by the workflow's step key, or a no-op when the row already shows the change).
 */
@Injectable()
export class RegistryActivitiesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
    private readonly policy: PolicyService,
    private readonly preconditions: Preconditions,
    private readonly vault: IdNumberVault,
    private readonly cases: CasesService,
  ) {}

  activities(): RegistryActivities {
    return {
      loadPolicy: (i) => this.policy.procedurePolicy(i.kind, i.regionCode, new Date(i.at)),
      enterStep: (i) => this.enterStep(i),
      openTask: (i) => this.openTask(i),
      closeTask: (i) => this.closeTask(i),
      taskDeadline: (i) => this.taskDeadline(i),
      publishNotice: (i) => this.publishNotice(i),
      closeNotice: (i) => this.closeNotice(i),
      resolveObjection: (i) => this.resolveObjection(i),
      announce: (i) => this.announce(i),
      finishCase: (i) => this.finishCase(i),
      caseLate: (i) => this.caseLate(i),
      openSystemCase: (i) => this.openSystemCase(i),
      followUpCycle: (i) => this.followUpCycle(i),
      reassignTask: (i) => this.reassignTask(i),
      recordRevisit: (i) => this.recordRevisit(i),
    };
  }

  private system(): { id: string; role: 'admin' } {
    return SYSTEM_ACTOR as { id: string; role: 'admin' };
  }

  async enterStep(i: { caseId: string; step: string; dueAt: string | null; round: number }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
      if (c.step === i.step && c.round === i.round) return; // a retry
      await tx.case.update({ where: { id: c.id }, data: { step: i.step, round: i.round, dueAt: i.dueAt ? new Date(i.dueAt) : null } });
      await this.journal.record(tx, this.system(), {
        action: 'case.step',
        entity: 'case',
        entityId: c.id,
        householdId: c.householdId,
        regionCode: c.regionCode,
        caseId: c.id,
        before: { step: c.step, round: c.round },
        after: { step: i.step, round: i.round, dueAt: i.dueAt },
      });
    });
  }

  async openTask(i: Parameters<RegistryActivities['openTask']>[0]): Promise<{ taskId: string }> {
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.task.findUnique({ where: { key: i.key } });
      if (existing) return { taskId: existing.id };
      const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
      const task = await tx.task.create({
        data: {
          caseId: i.caseId,
          workflowId: i.workflowId,
          key: i.key,
          step: i.step,
          role: i.role,
          regionCode: i.regionCode,
          dueAt: new Date(i.dueAt),
          availableAt: i.availableAt ? new Date(i.availableAt) : null,
          objectionId: i.objectionId,
          assigneeId: i.assigneeId ?? null,
        },
      });
      await this.journal.record(
        tx,
        this.system(),
        { action: 'task.opened', entity: 'task', entityId: task.id, householdId: c.householdId, regionCode: i.regionCode, caseId: c.id, after: { step: i.step, role: i.role, regionCode: i.regionCode, dueAt: i.dueAt, availableAt: i.availableAt, assigneeId: i.assigneeId ?? null } },
        { subject: subjectsOf(c.kind).opened, data: await this.taskEvent(tx, task, c) },
      );
      return { taskId: task.id };
    });
  }

  async closeTask(i: Parameters<RegistryActivities['closeTask']>[0]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: i.taskId }, include: { case: true } });
      if (task.status !== 'OPEN') return;
      const cancelled = i.decision === 'cancelled';
      await tx.task.update({
        where: { id: task.id },
        data: { status: cancelled ? 'CANCELLED' : 'DECIDED', decision: i.decision, comment: i.comment, data: json(i.data), decidedBy: i.actor?.id ?? null, decidedAt: new Date() },
      });
      const actor = i.actor ? { id: i.actor.id, role: i.actor.role as 'admin' } : this.system();
      await this.journal.record(
        tx,
        actor,
        {
          action: cancelled ? 'task.cancelled' : 'task.decided',
          entity: 'task',
          entityId: task.id,
          householdId: task.case.householdId,
          regionCode: task.regionCode,
          caseId: task.caseId,
          before: { status: 'OPEN' },
          after: { step: task.step, decision: i.decision, comment: i.comment, data: i.data },
        },
        { subject: cancelled ? subjectsOf(task.case.kind).cancelled : subjectsOf(task.case.kind).decided, data: { ...(await this.taskEvent(tx, task, task.case)), decision: i.decision, decidedBy: i.actor?.id ?? null } },
      );
    });
  }

  async taskDeadline(i: Parameters<RegistryActivities['taskDeadline']>[0]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: i.taskId }, include: { case: true } });
      if (task.status !== 'OPEN') return;
      const change: Prisma.TaskUpdateInput =
        i.event === 'reminder' ? { reminded: true } : i.event === 'overdue' ? { overdue: true } : { escalatedRole: i.escalatedTo!.role, escalatedRegion: i.escalatedTo!.regionCode };
      // A revisit escalates twice (village, then township): each level once.
      const already = i.event === 'reminder' ? task.reminded : i.event === 'overdue' ? task.overdue : task.escalatedRole === i.escalatedTo!.role && task.escalatedRegion === i.escalatedTo!.regionCode;
      if (already) return;
      await tx.task.update({ where: { id: task.id }, data: change });
      if (i.event === 'overdue') await tx.case.update({ where: { id: task.caseId }, data: { updatedAt: new Date() } });
      const subjects = subjectsOf(task.case.kind);
      const subject = i.event === 'reminder' ? subjects.reminder : i.event === 'overdue' ? subjects.overdue : subjects.escalated;
      await this.journal.record(
        tx,
        this.system(),
        { action: `task.${i.event}`, entity: 'task', entityId: task.id, householdId: task.case.householdId, regionCode: task.regionCode, caseId: task.caseId, after: { step: task.step, dueAt: task.dueAt, escalatedTo: i.escalatedTo ?? null } },
        { subject, data: { ...(await this.taskEvent(tx, task, task.case)), escalatedTo: i.escalatedTo ?? null } },
      );
    });
  }

  async publishNotice(i: Parameters<RegistryActivities['publishNotice']>[0]): Promise<{ noticeId: string }> {
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.notice.findUnique({ where: { key: i.key } });
      if (existing) return { noticeId: existing.id };
      const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
      const household = c.householdId ? await tx.household.findUnique({ where: { id: c.householdId } }) : null;
      const village = await tx.region.findUniqueOrThrow({ where: { code: c.regionCode } });
      const place = await tx.region.findUniqueOrThrow({ where: { code: i.regionCode } });
      const posting = place.level === 'VILLAGE' ? `${place.name}村民委员会` : `${place.name}人民政府`;
      const { title, body } = noticeText({
        kind: c.kind as never,
        placeName: posting,
        householdNumber: household?.number ?? null,
        headName: household?.headName ?? null,
        memberCount: household?.memberCount ?? null,
        villageName: village.name,
        startsAt: new Date(i.startsAt),
        endsAt: new Date(i.endsAt),
        days: i.days,
        objectionsTo: place.level === 'VILLAGE' ? '村民委员会或乡镇人民政府' : '乡镇人民政府或县乡村振兴局',
      });
      const notice = await tx.notice.create({
        data: { caseId: c.id, key: i.key, regionCode: i.regionCode, title, body, days: i.days, startsAt: new Date(i.startsAt), endsAt: new Date(i.endsAt) },
      });
      await this.journal.record(
        tx,
        this.system(),
        { action: 'notice.published', entity: 'notice', entityId: notice.id, householdId: c.householdId, regionCode: i.regionCode, caseId: c.id, after: { title, days: i.days, startsAt: i.startsAt, endsAt: i.endsAt } },
        { subject: NoticeSubjects.published, data: { noticeId: notice.id, caseId: c.id, regionCode: i.regionCode, endsAt: i.endsAt, householdNumber: household?.number ?? null } },
      );
      return { noticeId: notice.id };
    });
  }

  async closeNotice(i: { noticeId: string; withdrawn: boolean }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const n = await tx.notice.findUniqueOrThrow({ where: { id: i.noticeId }, include: { case: true } });
      if (n.status !== 'ACTIVE') return;
      const status = i.withdrawn ? 'WITHDRAWN' : 'ENDED';
      await tx.notice.update({ where: { id: n.id }, data: { status, closedAt: new Date() } });
      await this.journal.record(
        tx,
        this.system(),
        { action: `notice.${status.toLowerCase()}`, entity: 'notice', entityId: n.id, householdId: n.case.householdId, regionCode: n.regionCode, caseId: n.caseId, before: { status: 'ACTIVE' }, after: { status } },
        { subject: NoticeSubjects.closed, data: { noticeId: n.id, caseId: n.caseId, status } },
      );
    });
  }

  async resolveObjection(i: { objectionId: string; finding: 'UPHELD' | 'DISMISSED'; taskId: string }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const o = await tx.objection.findUniqueOrThrow({ where: { id: i.objectionId }, include: { notice: { include: { case: true } } } });
      if (o.status !== 'OPEN') return;
      await tx.objection.update({ where: { id: o.id }, data: { status: i.finding, taskId: i.taskId, resolvedAt: new Date() } });
      await this.journal.record(tx, this.system(), {
        action: 'objection.resolved',
        entity: 'objection',
        entityId: o.id,
        householdId: o.notice.case.householdId,
        regionCode: o.notice.regionCode,
        caseId: o.notice.caseId,
        before: { status: 'OPEN' },
        after: { status: i.finding, taskId: i.taskId },
      });
    });
  }

  /** 公告: re-check, then change the registry with its audit entry in one transaction. */
  async announce(i: { caseId: string; actor: Actor | null; decisions: Record<string, Record<string, unknown>> }): Promise<{ applied: boolean; obstacles: string[] }> {
    return this.prisma.$transaction(async (tx) => {
      const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
      const approval = i.decisions.approval ?? {};
      const actor = { id: String(approval.by ?? 'system'), role: 'county' as const };
      if (c.status !== 'OPEN' || c.step === 'announced') return { applied: true, obstacles: [] }; // a retry after commit
      const household = c.householdId ? await tx.household.findUniqueOrThrow({ where: { id: c.householdId } }) : null;
      const region = await tx.region.findUniqueOrThrow({ where: { code: c.regionCode } });
      const obstacles = await this.preconditions.obstacles(tx, { kind: c.kind as never, year: c.year, household, region, data: c.data as Record<string, unknown> });
      if (obstacles.length > 0) return { applied: false, obstacles };
      await this.apply(tx, c, approval, actor);
      await tx.case.update({ where: { id: c.id }, data: { step: 'announced' } });
      return { applied: true, obstacles: [] };
    });
  }

  private async apply(tx: Tx, c: Case, approval: Record<string, unknown>, actor: { id: string; role: 'county' }): Promise<void> {
    const data = c.data as Record<string, unknown>;
    if (c.kind === 'village_exit') {
      const before = await tx.region.findUniqueOrThrow({ where: { code: c.regionCode } });
      await tx.region.update({ where: { code: c.regionCode }, data: { exitYear: c.year } });
      await this.journal.record(tx, actor, { action: 'village.exited', entity: 'region', entityId: c.regionCode, regionCode: c.regionCode, caseId: c.id, before: { exitYear: before.exitYear }, after: { exitYear: c.year } });
      return;
    }
    const h = await tx.household.findUniqueOrThrow({ where: { id: c.householdId! } });
    let change: Prisma.HouseholdUpdateInput = {};
    if (c.kind === 'identification') change = { status: 'POOR', identifiedYear: c.year, helper: { connect: { id: await this.helperFor(tx, h.villageCode, approval.helperId) } } };
    if (c.kind === 'return') change = { status: 'POOR', returnedYear: c.year, exitYear: null };
    if (c.kind === 'exit') change = { status: 'EXITED', exitYear: c.year };
    if (c.kind === 'member_change') change = await this.changeMembers(tx, h.id, data, actor, c.id);
    if (c.kind === 'monitoring_inclusion') {
      const type = String(approval.monitoringType ?? data.monitoringType ?? (h.status === 'EXITED' ? 'UNSTABLE_EXITED' : 'MARGINAL'));
      change = { status: 'MONITORED', monitoringType: type as never, monitoredSince: new Date(), statusBeforeMonitoring: h.status, riskEliminatedAt: null };
    }
    // 风险消除: back to what the household was; the monitoring type and dates stay as the record.
    if (c.kind === 'risk_elimination') change = { status: h.statusBeforeMonitoring ?? 'EXITED', riskEliminatedAt: new Date() };
    const after = await tx.household.update({ where: { id: h.id }, data: { ...change, version: { increment: 1 } } });
    const fields = ['status', 'identifiedYear', 'exitYear', 'returnedYear', 'helperId', 'memberCount', 'netIncomePerHead', 'monitoringType', 'monitoredSince', 'riskEliminatedAt'] as const;
    const pick = (x: typeof h) => Object.fromEntries(fields.map((f) => [f, x[f]]));
    const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);
    await this.journal.record(
      tx,
      actor,
      { action: `household.${c.kind}.announced`, entity: 'household', entityId: h.id, householdId: h.id, regionCode: h.villageCode, caseId: c.id, before: pick(h), after: pick(after) },
      { subject: RegistrySubjects.householdChanged, data: { householdId: h.id, number: h.number, villageCode: h.villageCode, fields: fields.filter((f) => !same(h[f], after[f])), caseId: c.id, kind: c.kind } },
    );
  }

  /** The county may name the helper; otherwise the village helper with the fewest households. */
  private async helperFor(tx: Tx, villageCode: string, named: unknown): Promise<string> {
    if (typeof named === 'string') return named;
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT u.id FROM "user" u LEFT JOIN household h ON h.helper_id = u.id
       WHERE u.role = 'helper' AND u.active AND ${villageCode} LIKE rtrim(u.region_code, '0') || '%'
       GROUP BY u.id ORDER BY count(h.id), u.id LIMIT 1`;
    if (!rows[0]) throw new DomainException(409, 'NO_HELPER', `村 ${villageCode} 没有可指派的帮扶责任人`);
    return rows[0].id;
  }

  private async changeMembers(tx: Tx, householdId: string, data: Record<string, unknown>, actor: { id: string; role: 'county' }, caseId: string): Promise<Prisma.HouseholdUpdateInput> {
    if (data.change === 'add') {
      const stored = data.member as Record<string, unknown> & { idSealed: SealedIdNumber };
      const sealed = stored.idSealed;
      // Validated at case start; parsed again to apply the same defaults as a direct addition.
      const m = memberInputSchema.parse({ ...stored, idNumber: this.vault.open(sealed.cipher) });
      const member = await tx.member.create({ data: { ...memberRow(m, sealed), householdId } });
      await this.journal.record(tx, actor, { action: 'member.added', entity: 'member', entityId: member.id, householdId, caseId, after: { name: m.name, idMasked: sealed.masked, relation: m.relation, reason: data.reason } });
    } else {
      const memberId = String(data.memberId);
      const before = await tx.member.findFirstOrThrow({ where: { id: memberId, householdId, active: true } });
      await tx.member.update({ where: { id: memberId }, data: { active: false, activeIdHash: null, leftAt: new Date(), leftReason: String(data.reason) } });
      await this.journal.record(tx, actor, { action: 'member.left', entity: 'member', entityId: memberId, householdId, caseId, before: { active: true }, after: { active: false, reason: data.reason, name: before.name, idMasked: before.idMasked } });
    }
    const people = await tx.member.count({ where: { householdId, active: true } });
    const latest = await tx.assessment.findFirst({ where: { householdId }, orderBy: { assessedOn: 'desc' } });
    // 人均纯收入 recomputed over the new household size.
    const perHead = latest && people > 0 ? netIncomePerHead({ ...latest, people }) : null;
    return { memberCount: people, netIncomePerHead: perHead };
  }

  async finishCase(i: { caseId: string; status: CaseStatus; outcome: string }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
      if (c.closedAt) return;
      await tx.case.update({ where: { id: c.id }, data: { status: i.status, outcome: i.outcome, step: 'finished', dueAt: null, openKey: null, closedAt: new Date() } });
      await this.journal.record(
        tx,
        this.system(),
        { action: 'case.finished', entity: 'case', entityId: c.id, householdId: c.householdId, regionCode: c.regionCode, caseId: c.id, before: { status: c.status }, after: { status: i.status, outcome: i.outcome } },
        { subject: CaseSubjects.finished, data: { caseId: c.id, kind: c.kind, status: i.status, householdId: c.householdId, regionCode: c.regionCode } },
      );
    });
  }
  /**
   * A case the system opens. Preconditions that do not hold (the household changed meanwhile) are an
   * answer, not a failure: retrying would not change them, so the caller hears `refused` and goes on.
   */
  async openSystemCase(i: Parameters<RegistryActivities['openSystemCase']>[0]): ReturnType<RegistryActivities['openSystemCase']> {
    try {
      return await this.cases.startBySystem(i.kind, i.householdId, i.reason, i.data);
    } catch (err) {
      if (err instanceof DomainException && err.status === 409) return { caseId: null, workflowId: null, alreadyOpen: false, refused: err.message };
      throw err;
    }
  }

  async caseLate(i: { caseId: string; deadline: string }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
      if (c.status !== 'OPEN') return;
      const prior = await tx.audit.findFirst({ where: { caseId: c.id, action: 'case.late' } });
      if (prior) return;
      await this.journal.record(
        tx,
        this.system(),
        { action: 'case.late', entity: 'case', entityId: c.id, householdId: c.householdId, regionCode: c.regionCode, caseId: c.id, after: { step: c.step, deadline: i.deadline } },
        { subject: CaseSubjects.late, data: { caseId: c.id, kind: c.kind, step: c.step, deadline: i.deadline, householdId: c.householdId, regionCode: c.regionCode, countyCode: c.countyCode, householdNumber: await this.numberOf(tx, c.householdId) } },
      );
    });
  }

  /** The coming cycle of a household's follow-up: still due?, on what cadence, by whom. */
  async followUpCycle(i: { householdId: string; at: string }): Promise<FollowUpCycle> {
    const h = await this.prisma.household.findUniqueOrThrow({ where: { id: i.householdId } });
    const at = new Date(i.at);
    const basis = h.status === 'MONITORED' ? 'monitored' : 'exited';
    const p = await this.policy.revisitPolicy(basis, h.villageCode, at);
    const base = { basis, helperId: h.helperId, villageCode: h.villageCode, ...p, endsAt: null } as FollowUpCycle;
    if (h.status === 'MONITORED') return { ...base, active: true, why: '监测对象, 按月回访' };
    if (h.status !== 'EXITED') return { ...base, active: false, why: `户状态为 ${h.status}, 不再回访` };
    // 过渡期: 5 years (policy) after the exit year; ends at the close of its last year (CST).
    const years = await this.policy.transitionYears(h.villageCode, at);
    const endsAt = new Date(Date.UTC((h.exitYear ?? at.getUTCFullYear()) + years, 11, 31, 16));
    if (endsAt <= at) return { ...base, active: false, why: '过渡期已结束' };
    return { ...base, active: true, why: '过渡期内回访', endsAt: endsAt.toISOString() };
  }

  async reassignTask(i: { taskId: string; assigneeId: string }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: i.taskId }, include: { case: true } });
      if (task.status !== 'OPEN' || task.assigneeId === i.assigneeId) return;
      await tx.task.update({ where: { id: task.id }, data: { assigneeId: i.assigneeId, role: 'helper' } });
      await this.journal.record(
        tx,
        this.system(),
        { action: 'task.reassigned', entity: 'task', entityId: task.id, householdId: task.case.householdId, regionCode: task.regionCode, caseId: task.caseId, before: { assigneeId: task.assigneeId }, after: { assigneeId: i.assigneeId } },
        { subject: subjectsOf(task.case.kind).opened, data: await this.taskEvent(tx, { ...task, assigneeId: i.assigneeId }, task.case) },
      );
    });
  }

  /** 回访 record: one per revisit task (a retry finds it); publishes revisits.recorded. */
  async recordRevisit(i: Parameters<RegistryActivities['recordRevisit']>[0]): Promise<{ visitId: string; riskReasons: string[] }> {
    const form = revisitFormSchema.parse(i.form);
    const riskReasons = revisitRiskReasons(form);
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.visit.findUnique({ where: { taskId: i.taskId } });
      if (existing) return { visitId: existing.id, riskReasons };
      const h = await tx.household.findUniqueOrThrow({ where: { id: i.householdId } });
      const v = await tx.visit.create({
        data: { householdId: h.id, caseId: i.caseId, taskId: i.taskId, visitedBy: i.actor.id, incomeChange: form.incomeChange, newRisks: form.newRisks, needs: form.needs, note: form.note, risky: riskReasons.length > 0, late: i.late },
      });
      await this.journal.record(
        tx,
        { id: i.actor.id, role: i.actor.role as 'helper' },
        { action: 'household.revisited', entity: 'visit', entityId: v.id, householdId: h.id, regionCode: h.villageCode, caseId: i.caseId, after: { ...form, risky: v.risky, late: i.late } },
        { subject: RevisitSubjects.recorded, data: { visitId: v.id, taskId: i.taskId, caseId: i.caseId, householdId: h.id, householdNumber: h.number, villageCode: h.villageCode, risky: v.risky, late: i.late, riskReasons } },
      );
      return { visitId: v.id, riskReasons };
    });
  }

  private async numberOf(tx: Tx, householdId: string | null): Promise<string | null> {
    if (!householdId) return null;
    return (await tx.household.findUnique({ where: { id: householdId }, select: { number: true } }))?.number ?? null;
  }

  /** Task events carry what a notification needs: who owes it, the household number, the due date. Never an ID number. */
  private async taskEvent(tx: Tx, task: TaskLike, c: { kind: string; householdId: string | null; countyCode?: string }) {
    return { ...taskEvent(task, c), assigneeId: task.assigneeId ?? null, householdNumber: await this.numberOf(tx, c.householdId) };
  }
}

type TaskLike = { id: string; step: string; role: string; regionCode: string; dueAt: Date; caseId: string; assigneeId?: string | null };

/** Revisit tasks (the follow-up) publish on `revisits.*`, every other task on `tasks.*`. */
function subjectsOf(kind: string) {
  return kind === 'follow_up' ? RevisitSubjects : TaskSubjects;
}

function taskEvent(task: { id: string; step: string; role: string; regionCode: string; dueAt: Date; caseId: string }, c: { kind: string; householdId: string | null }) {
  return { taskId: task.id, caseId: task.caseId, kind: c.kind, step: task.step, role: task.role, regionCode: task.regionCode, dueAt: task.dueAt.toISOString(), householdId: c.householdId };
}
