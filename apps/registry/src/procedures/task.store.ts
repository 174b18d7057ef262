import { Injectable } from '@nestjs/common';
import {
  RevisitSubjects,
  TaskSubjects,
  type CloseTaskInput,
  type OpenTaskInput,
  type RegistryActivities,
} from '@jingzhun/contracts';
import type { Prisma } from '../generated/prisma/client';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';

const json = (v: unknown) => JSON.parse(JSON.stringify(v ?? {})) as Prisma.InputJsonValue;

type TaskLike = {
  id: string;
  step: string;
  role: string;
  regionCode: string;
  dueAt: Date;
  caseId: string;
  assigneeId?: string | null;
};
type CaseLike = { kind: string; householdId: string | null };

/**
 * A procedure's tasks: opened, closed, reminded, escalated and reassigned, each inside the caller's
 * transaction with its audit entry and outbox event (the inbox's reads are InboxStore). Every write
 * is idempotent: opening is keyed by the workflow's step key, the others are no-ops once applied.
 */
@Injectable()
export class TaskStore {
  constructor(
    private readonly journal: Journal,
    private readonly prisma: PrismaService,
  ) {}

  /** The task with its case, as a decision request checks who may decide it. */
  async findWithCase(id: string) {
    return this.prisma.task.findUnique({ where: { id }, include: { case: true } });
  }

  /** A step of the case this user approved or rejected at another level (a return sends work back and signs nothing). */
  async decidedAtOtherLevel(caseId: string, userId: string, role: string) {
    return this.prisma.task.findFirst({
      where: { caseId, decidedBy: userId, status: 'DECIDED', decision: { in: ['approve', 'reject'] }, NOT: { role } },
      select: { role: true, step: true },
    });
  }

  async open(tx: Tx, i: OpenTaskInput): Promise<string> {
    const existing = await tx.task.findUnique({ where: { key: i.key }, select: { id: true } });
    if (existing) return existing.id;
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    const task = await tx.task.create({
      data: {
        ...(i.taskId ? { id: i.taskId } : {}),
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
      SYSTEM_ACTOR,
      {
        action: 'task.opened',
        entity: 'task',
        entityId: task.id,
        householdId: c.householdId,
        regionCode: i.regionCode,
        caseId: c.id,
        after: {
          step: i.step,
          role: i.role,
          regionCode: i.regionCode,
          dueAt: i.dueAt,
          availableAt: i.availableAt,
          assigneeId: i.assigneeId ?? null,
        },
      },
      { subject: subjectsOf(c.kind).opened, data: await this.event(tx, task, c) },
    );
    return task.id;
  }

  /** Closes the task with its decision; answers the task when this call closed it, null when it was closed already. */
  async close(tx: Tx, i: CloseTaskInput) {
    const task = await tx.task.findUniqueOrThrow({ where: { id: i.taskId }, include: { case: true } });
    if (task.status !== 'OPEN') return null;
    const cancelled = i.decision === 'cancelled';
    await tx.task.update({
      where: { id: task.id },
      data: {
        status: cancelled ? 'CANCELLED' : 'DECIDED',
        decision: i.decision,
        comment: i.comment,
        data: json(i.data),
        decidedBy: i.actor?.id ?? null,
        decidedAt: new Date(),
      },
    });
    const subjects = subjectsOf(task.case.kind);
    await this.journal.record(
      tx,
      i.actor ?? SYSTEM_ACTOR,
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
      {
        subject: cancelled ? subjects.cancelled : subjects.decided,
        data: { ...(await this.event(tx, task, task.case)), decision: i.decision, decidedBy: i.actor?.id ?? null },
      },
    );
    return task;
  }

  async deadline(tx: Tx, i: Parameters<RegistryActivities['taskDeadline']>[0]): Promise<void> {
    const task = await tx.task.findUniqueOrThrow({ where: { id: i.taskId }, include: { case: true } });
    if (task.status !== 'OPEN') return;
    const change: Prisma.TaskUpdateInput =
      i.event === 'reminder'
        ? { reminded: true }
        : i.event === 'overdue'
          ? { overdue: true }
          : { escalatedRole: i.escalatedTo!.role, escalatedRegion: i.escalatedTo!.regionCode };
    // A revisit escalates twice (village, then township): each level once.
    const already =
      i.event === 'reminder'
        ? task.reminded
        : i.event === 'overdue'
          ? task.overdue
          : task.escalatedRole === i.escalatedTo!.role && task.escalatedRegion === i.escalatedTo!.regionCode;
    if (already) return;
    await tx.task.update({ where: { id: task.id }, data: change });
    if (i.event === 'overdue') await tx.case.update({ where: { id: task.caseId }, data: { updatedAt: new Date() } });
    const subjects = subjectsOf(task.case.kind);
    const subject =
      i.event === 'reminder' ? subjects.reminder : i.event === 'overdue' ? subjects.overdue : subjects.escalated;
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      {
        action: `task.${i.event}`,
        entity: 'task',
        entityId: task.id,
        householdId: task.case.householdId,
        regionCode: task.regionCode,
        caseId: task.caseId,
        after: { step: task.step, dueAt: task.dueAt, escalatedTo: i.escalatedTo ?? null },
      },
      { subject, data: { ...(await this.event(tx, task, task.case)), escalatedTo: i.escalatedTo ?? null } },
    );
  }

  async reassign(tx: Tx, i: { taskId: string; assigneeId: string }): Promise<void> {
    const task = await tx.task.findUniqueOrThrow({ where: { id: i.taskId }, include: { case: true } });
    if (task.status !== 'OPEN' || task.assigneeId === i.assigneeId) return;
    await tx.task.update({ where: { id: task.id }, data: { assigneeId: i.assigneeId, role: 'helper' } });
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      {
        action: 'task.reassigned',
        entity: 'task',
        entityId: task.id,
        householdId: task.case.householdId,
        regionCode: task.regionCode,
        caseId: task.caseId,
        before: { assigneeId: task.assigneeId },
        after: { assigneeId: i.assigneeId },
      },
      {
        subject: subjectsOf(task.case.kind).opened,
        data: await this.event(tx, { ...task, assigneeId: i.assigneeId }, task.case),
      },
    );
  }

  /** Task events carry what a notification needs: who owes it, the household number, the due date. Never an ID number. */
  private async event(tx: Tx, task: TaskLike, c: CaseLike) {
    const household = c.householdId
      ? await tx.household.findUnique({ where: { id: c.householdId }, select: { number: true } })
      : null;
    return {
      taskId: task.id,
      caseId: task.caseId,
      kind: c.kind,
      step: task.step,
      role: task.role,
      regionCode: task.regionCode,
      dueAt: task.dueAt.toISOString(),
      householdId: c.householdId,
      assigneeId: task.assigneeId ?? null,
      householdNumber: household?.number ?? null,
    };
  }
}

/** Revisit tasks (the follow-up) publish on `revisits.*`, every other task on `tasks.*`. */
function subjectsOf(kind: string) {
  return kind === 'follow_up' ? RevisitSubjects : TaskSubjects;
}
