import { Injectable } from '@nestjs/common';
import { CaseSubjects, type CaseStatus, type EnterStepInput } from '@jingzhun/contracts';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import type { Tx } from '../prisma/prisma.service';

/**
 * A case's own row as its workflow moves it: the current step, the end, and the late flag. Each
 * write is inside the caller's transaction with its audit entry (and event), and a no-op when the
 * row already shows it (a retry). Opening a case is CasesService's, through the same Prisma client.
 */
@Injectable()
export class CaseStore {
  constructor(private readonly journal: Journal) {}

  async enterStep(tx: Tx, i: EnterStepInput): Promise<void> {
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    if (c.step === i.step && c.round === i.round) return; // a retry
    await tx.case.update({ where: { id: c.id }, data: { step: i.step, round: i.round, dueAt: i.dueAt ? new Date(i.dueAt) : null } });
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
    await tx.case.update({ where: { id: c.id }, data: { status: i.status, outcome: i.outcome, step: 'finished', dueAt: null, openKey: null, closedAt: new Date() } });
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      { action: 'case.finished', entity: 'case', entityId: c.id, householdId: c.householdId, regionCode: c.regionCode, caseId: c.id, before: { status: c.status }, after: { status: i.status, outcome: i.outcome } },
      { subject: CaseSubjects.finished, data: { caseId: c.id, kind: c.kind, status: i.status, householdId: c.householdId, regionCode: c.regionCode } },
    );
  }

  /** 纳入监测's decision clock ran out: recorded once, and the county hears of it. */
  async markLate(tx: Tx, i: { caseId: string; deadline: string }): Promise<void> {
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    if (c.status !== 'OPEN') return;
    const prior = await tx.audit.findFirst({ where: { caseId: c.id, action: 'case.late' }, select: { id: true } });
    if (prior) return;
    const household = c.householdId ? await tx.household.findUnique({ where: { id: c.householdId }, select: { number: true } }) : null;
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      { action: 'case.late', entity: 'case', entityId: c.id, householdId: c.householdId, regionCode: c.regionCode, caseId: c.id, after: { step: c.step, deadline: i.deadline } },
      { subject: CaseSubjects.late, data: { caseId: c.id, kind: c.kind, step: c.step, deadline: i.deadline, householdId: c.householdId, regionCode: c.regionCode, countyCode: c.countyCode, householdNumber: household?.number ?? null } },
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
