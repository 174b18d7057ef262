import { Injectable } from '@nestjs/common';
import { CaseSubjects, type CaseStatus, type EnterStepInput } from '@jingzhun/contracts';
import type { Case, Prisma } from '../generated/prisma/client';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** A new case's row as CasesService opens it (ids and codes already decided). */
export interface NewCase {
  id: string;
  kind: string;
  workflowId: string;
  householdId: string | null;
  regionCode: string;
  townshipCode: string;
  countyCode: string;
  year: number;
  reason: string;
  data: Record<string, unknown>;
  openKey: string;
  openedBy: string;
}

/**
 * A case's own row as its workflow moves it: the current step, the end, and the late flag. Each
 * write is inside the caller's transaction with its audit entry (and event), and a no-op when the
 * row already shows it (a retry). The rows CasesService opens and the pages it reads are here too.
 */
@Injectable()
export class CaseStore {
  constructor(
    private readonly journal: Journal,
    private readonly prisma: PrismaService,
  ) {}

  /** The open case of a subject and kind (`kind/subject`), if any: at most one, by a unique key. */
  async findOpen(openKey: string, db: Pick<Tx, 'case'> = this.prisma): Promise<Case | null> {
    return db.case.findUnique({ where: { openKey } });
  }

  /** A fresh case id, minted by PostgreSQL so that the workflow id can carry it before the row exists. */
  async newId(tx: Tx): Promise<string> {
    return (await tx.$queryRaw<{ id: string }[]>`SELECT gen_random_uuid()::text AS id`)[0].id;
  }

  /** Cases of the kind and year for the household (or the village, for a village's own procedure), closed ones included. */
  async attempts(
    tx: Tx,
    s: { kind: string; year: number; householdId: string | null; regionCode: string; statuses?: CaseStatus[] },
  ): Promise<number> {
    return tx.case.count({
      where: {
        kind: s.kind,
        year: s.year,
        ...(s.householdId ? { householdId: s.householdId } : { regionCode: s.regionCode, householdId: null }),
        ...(s.statuses ? { status: { in: s.statuses } } : {}),
      },
    });
  }

  async create(tx: Tx, row: NewCase): Promise<Case> {
    return tx.case.create({ data: { ...row, data: row.data as Prisma.InputJsonValue } });
  }

  /** Merges keys into a case's data (a campaign's entry extension); returns the data as it was. */
  async mergeData(tx: Tx, id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = await tx.case.findUniqueOrThrow({ where: { id }, select: { data: true } });
    const before = c.data as Record<string, unknown>;
    await tx.case.update({ where: { id }, data: { data: { ...before, ...patch } as Prisma.InputJsonValue } });
    return before;
  }

  /** A case whose workflow could not start: closed, so that it can be started again. */
  async cancelUnstarted(id: string, outcome: string): Promise<void> {
    await this.prisma.case.update({
      where: { id },
      data: { status: 'CANCELLED', openKey: null, outcome, closedAt: new Date() },
    });
  }

  async find(id: string): Promise<Case | null> {
    return this.prisma.case.findUnique({ where: { id } });
  }

  /** A 年度动态调整's case, or null (no case, or a case of another kind). */
  async findCampaign(id: string): Promise<Case | null> {
    const c = await this.find(id);
    return c?.kind === 'annual_adjustment' ? c : null;
  }

  /** The case page: the case with its tasks and notices in order, their objections, its audit timeline and household number. */
  async detail(id: string) {
    // A campaign's 100 000 verification tasks are its progress, not its page: they are counted elsewhere.
    const c = await this.prisma.case.findUnique({
      where: { id },
      include: {
        tasks: { where: { step: { not: 'campaign.verification' } }, orderBy: { createdAt: 'asc' } },
        notices: { orderBy: { startsAt: 'asc' } },
      },
    });
    if (!c) return null;
    const timeline = await this.prisma.audit.findMany({
      where: { caseId: id },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    const [household, objections] = await Promise.all([
      c.householdId
        ? this.prisma.household.findUnique({ where: { id: c.householdId }, select: { number: true } })
        : null,
      this.prisma.objection.findMany({
        where: { noticeId: { in: c.notices.map((n) => n.id) } },
        orderBy: { createdAt: 'asc' },
      }),
    ]);
    return { case: c, timeline, objections, householdNumber: household?.number ?? null };
  }

  /** One page of cases, newest first. */
  async page(where: Prisma.CaseWhereInput, page: number, pageSize: number) {
    const [total, rows] = await Promise.all([
      this.prisma.case.count({ where }),
      this.prisma.case.findMany({ where, orderBy: { createdAt: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    return { total, rows };
  }

  async enterStep(tx: Tx, i: EnterStepInput): Promise<void> {
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    if (c.step === i.step && c.round === i.round) return; // a retry
    await tx.case.update({
      where: { id: c.id },
      data: { step: i.step, round: i.round, dueAt: i.dueAt ? new Date(i.dueAt) : null },
    });
    await this.journal.record(tx, SYSTEM_ACTOR, {
      action: 'case.step',
      entity: 'case',
      entityId: c.id,
      householdId: c.householdId,
      regionCode: c.regionCode,
      caseId: c.id,
      before: { step: c.step, round: c.round },
      after: { step: i.step, round: i.round, dueAt: i.dueAt },
    });
  }

  async finish(tx: Tx, i: { caseId: string; status: CaseStatus; outcome: string }): Promise<void> {
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    if (c.closedAt) return;
    await tx.case.update({
      where: { id: c.id },
      data: {
        status: i.status,
        outcome: i.outcome,
        step: 'finished',
        dueAt: null,
        openKey: null,
        closedAt: new Date(),
      },
    });
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      {
        action: 'case.finished',
        entity: 'case',
        entityId: c.id,
        householdId: c.householdId,
        regionCode: c.regionCode,
        caseId: c.id,
        before: { status: c.status },
        after: { status: i.status, outcome: i.outcome },
      },
      {
        subject: CaseSubjects.finished,
        data: { caseId: c.id, kind: c.kind, status: i.status, householdId: c.householdId, regionCode: c.regionCode },
      },
    );
  }

  /** 纳入监测's decision clock ran out: recorded once, and the county hears of it. */
  async markLate(tx: Tx, i: { caseId: string; deadline: string }): Promise<void> {
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    if (c.status !== 'OPEN') return;
    const prior = await tx.audit.findFirst({ where: { caseId: c.id, action: 'case.late' }, select: { id: true } });
    if (prior) return;
    const household = c.householdId
      ? await tx.household.findUnique({ where: { id: c.householdId }, select: { number: true } })
      : null;
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      {
        action: 'case.late',
        entity: 'case',
        entityId: c.id,
        householdId: c.householdId,
        regionCode: c.regionCode,
        caseId: c.id,
        after: { step: c.step, deadline: i.deadline },
      },
      {
        subject: CaseSubjects.late,
        data: {
          caseId: c.id,
          kind: c.kind,
          step: c.step,
          deadline: i.deadline,
          householdId: c.householdId,
          regionCode: c.regionCode,
          countyCode: c.countyCode,
          householdNumber: household?.number ?? null,
        },
      },
    );
  }

  /** The case with what the announcement needs to re-check it: its household and its region. */
  async forAnnouncement(tx: Tx, caseId: string) {
    const c = await tx.case.findUniqueOrThrow({ where: { id: caseId } });
    const household = c.householdId ? await tx.household.findUniqueOrThrow({ where: { id: c.householdId } }) : null;
    const region = await tx.region.findUniqueOrThrow({ where: { code: c.regionCode } });
    return { case: c, household, region };
  }

  async markAnnounced(tx: Tx, caseId: string): Promise<void> {
    await tx.case.update({ where: { id: caseId }, data: { step: 'announced' } });
  }
}
