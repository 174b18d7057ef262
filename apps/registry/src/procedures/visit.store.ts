import { Injectable } from '@nestjs/common';
import { RevisitSubjects, type Actor } from '@jingzhun/contracts';
import type { RevisitForm } from '@jingzhun/domain';
import { Journal } from '../journal/journal';
import type { Tx } from '../prisma/prisma.service';
import { PrismaService } from '../prisma/prisma.service';

/** 回访 records: one per revisit task (a retry finds it), with its audit entry and revisits.recorded event. */
@Injectable()
export class VisitStore {
  constructor(
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
  ) {}

  async record(
    tx: Tx,
    i: {
      caseId: string;
      taskId: string;
      householdId: string;
      actor: Actor;
      late: boolean;
      form: RevisitForm;
      riskReasons: string[];
      /** Made on a phone before it reached the registry (#24): the visit's time; the row's receivedAt is now. */
      recordedAt?: string;
    },
  ): Promise<string> {
    const existing = await tx.visit.findUnique({ where: { taskId: i.taskId }, select: { id: true } });
    if (existing) return existing.id;
    const { form } = i;
    const h = await tx.household.findUniqueOrThrow({ where: { id: i.householdId } });
    const risky = i.riskReasons.length > 0;
    const v = await tx.visit.create({
      data: {
        householdId: h.id,
        caseId: i.caseId,
        taskId: i.taskId,
        visitedBy: i.actor.id,
        incomeChange: form.incomeChange,
        newRisks: form.newRisks,
        needs: form.needs,
        note: form.note,
        risky,
        late: i.late,
        ...(i.recordedAt ? { visitedAt: new Date(i.recordedAt) } : {}),
      },
    });
    await this.journal.record(
      tx,
      i.actor,
      {
        action: 'household.revisited',
        entity: 'visit',
        entityId: v.id,
        householdId: h.id,
        regionCode: h.villageCode,
        caseId: i.caseId,
        after: {
          ...form,
          risky,
          late: i.late,
          visitedAt: v.visitedAt.toISOString(),
          receivedAt: v.receivedAt.toISOString(),
        },
      },
      {
        subject: RevisitSubjects.recorded,
        data: {
          visitId: v.id,
          taskId: i.taskId,
          caseId: i.caseId,
          householdId: h.id,
          householdNumber: h.number,
          villageCode: h.villageCode,
          risky,
          late: i.late,
          riskReasons: i.riskReasons,
        },
      },
    );
    return v.id;
  }

  /** The household's latest revisit, if any. */
  async latest(tx: Tx, householdId: string) {
    return tx.visit.findFirst({ where: { householdId }, orderBy: { visitedAt: 'desc' } });
  }

  /** The household's revisits, newest first. */
  async recent(householdId: string, take: number) {
    return this.prisma.visit.findMany({ where: { householdId }, orderBy: { visitedAt: 'desc' }, take });
  }

  /** What the coming follow-up cycle depends on: the household's status, exit year, helper and village. */
  async householdForCycle(householdId: string) {
    return this.prisma.household.findUniqueOrThrow({
      where: { id: householdId },
      select: { status: true, exitYear: true, helperId: true, villageCode: true },
    });
  }
}
