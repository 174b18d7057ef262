import { Injectable } from '@nestjs/common';
import type { AssessmentInput, HouseholdCreate, HouseholdUpdate, MeasureInput } from '@jingzhun/domain';
import type { Household, Prisma } from '../generated/prisma/client';
import type { SealedIdNumber } from '../id-numbers/id-number-vault';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { memberRow } from './member-row';
import { cstDayStart } from '@jingzhun/domain';

/**
 * A household and its members, assessments and assistance measures: every query of the registry's
 * household pages, through Prisma. Writes take the caller's transaction, where the service also
 * writes the audit entry; reads use the shared client. The bulk paths (import COPY) are ImportStore's.
 */
@Injectable()
export class HouseholdStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Locks the household's row for the transaction: concurrent writers to one household are serialised. */
  async lock(tx: Tx, id: string): Promise<Household | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM household WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.household.findUniqueOrThrow({ where: { id } });
  }

  async create(tx: Tx, number: string, input: HouseholdCreate, sealed: SealedIdNumber[]) {
    const head = input.members.find((m) => m.relation === 'HEAD')!;
    return tx.household.create({
      data: {
        number,
        villageCode: input.villageCode,
        headName: head.name,
        status: input.status,
        attribute: input.attribute,
        mainCause: input.mainCause,
        secondaryCauses: input.secondaryCauses,
        identifiedYear: input.identifiedYear,
        exitYear: input.exitYear,
        monitoringType: input.monitoringType,
        monitoredSince: input.monitoredSince ? cstDayStart(input.monitoredSince) : null,
        helperId: input.helperId,
        address: input.address,
        memberCount: input.members.length,
        members: { create: input.members.map((m, i) => memberRow(m, sealed[i])) },
      },
      include: { members: true },
    });
  }

  async update(tx: Tx, id: string, input: Omit<HouseholdUpdate, 'reason'>) {
    return tx.household.update({
      where: { id },
      data: {
        ...input,
        ...(input.monitoredSince ? { monitoredSince: cstDayStart(input.monitoredSince) } : {}),
        version: { increment: 1 },
      },
    });
  }

  async activeHead(tx: Tx, householdId: string) {
    return tx.member.findFirst({ where: { householdId, relation: 'HEAD', active: true }, select: { id: true } });
  }

  /** The households in which these people (by ID-number hash) are active members. */
  async activeElsewhere(tx: Tx, hashes: string[]) {
    return tx.member.findMany({
      where: { activeIdHash: { in: hashes } },
      select: { activeIdHash: true, household: { select: { number: true, villageCode: true } } },
    });
  }

  async addMember(tx: Tx, householdId: string, row: ReturnType<typeof memberRow>) {
    const member = await tx.member.create({ data: { ...row, householdId } });
    const household = await tx.household.update({
      where: { id: householdId },
      data: { memberCount: { increment: 1 }, version: { increment: 1 } },
    });
    return { member, household };
  }

  async activeMemberCount(tx: Tx, householdId: string): Promise<number> {
    return tx.member.count({ where: { householdId, active: true } });
  }

  async latestAssessment(tx: Tx, householdId: string) {
    return tx.assessment.findFirst({ where: { householdId }, orderBy: { assessedOn: 'desc' } });
  }

  async addAssessment(
    tx: Tx,
    householdId: string,
    input: AssessmentInput & { people: number },
    perHead: number,
    createdBy: string,
  ) {
    return tx.assessment.create({
      data: { ...input, assessedOn: new Date(input.assessedOn), netIncomePerHead: perHead, householdId, createdBy },
    });
  }

  async setIncome(tx: Tx, householdId: string, perHead: number): Promise<void> {
    await tx.household.update({
      where: { id: householdId },
      data: { netIncomePerHead: perHead, version: { increment: 1 } },
    });
  }

  async addMeasure(tx: Tx, householdId: string, input: MeasureInput, createdBy: string) {
    return tx.assistanceMeasure.create({
      data: {
        householdId,
        kind: input.kind,
        description: input.description,
        year: input.year,
        amount: input.amount,
        startedOn: new Date(input.startedOn),
        endedOn: input.endedOn ? new Date(input.endedOn) : null,
        createdBy,
      },
    });
  }

  async setHelper(tx: Tx, householdId: string, helperId: string): Promise<void> {
    await tx.household.update({ where: { id: householdId }, data: { helperId, version: { increment: 1 } } });
  }

  async assessment(id: string) {
    return this.prisma.assessment.findUniqueOrThrow({ where: { id } });
  }

  async measure(id: string) {
    return this.prisma.assistanceMeasure.findUniqueOrThrow({ where: { id } });
  }

  /** The detail page: members (active first), the last 10 assessments, the measures, the helper. */
  async detail(id: string) {
    return this.prisma.household.findUnique({
      where: { id },
      include: {
        members: { orderBy: [{ active: 'desc' }, { createdAt: 'asc' }] },
        assessments: { orderBy: { assessedOn: 'desc' }, take: 10 },
        measures: { orderBy: { startedOn: 'desc' } },
        helper: true,
      },
    });
  }

  async find(id: string) {
    return this.prisma.household.findUnique({ where: { id } });
  }

  /** One page in household-number order, with the active head for the list's ID column. */
  async page(where: Prisma.HouseholdWhereInput, page: number, pageSize: number) {
    const [total, rows] = await Promise.all([
      this.prisma.household.count({ where }),
      this.prisma.household.findMany({
        where,
        orderBy: { number: 'asc' },
        skip: (page - 1) * pageSize,
        take: pageSize,
        // Names beside codes: the village and its township.
        include: {
          members: { where: { relation: 'HEAD', active: true }, take: 1 },
          village: { select: { name: true, parent: { select: { name: true } } } },
        },
      }),
    ]);
    return { total, rows };
  }

  /** The household's audit trail, oldest first. */
  async history(householdId: string) {
    return this.prisma.audit.findMany({ where: { householdId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  }

  async region(code: string) {
    return this.prisma.region.findUnique({ where: { code } });
  }

  async user(id: string) {
    return this.prisma.user.findUnique({ where: { id } });
  }

  async findOrThrow(id: string, db: Pick<Tx, 'household'> = this.prisma): Promise<Household> {
    return db.household.findUniqueOrThrow({ where: { id } });
  }

  /** The ids of the households a helper is assigned to. */
  async idsOfHelper(helperId: string): Promise<string[]> {
    return (await this.prisma.household.findMany({ where: { helperId }, select: { id: true } })).map((h) => h.id);
  }

  /** A household's registry change (an announcement's effect), counted in its version. */
  async applyChange(tx: Tx, id: string, change: Prisma.HouseholdUpdateInput): Promise<Household> {
    return tx.household.update({ where: { id }, data: { ...change, version: { increment: 1 } } });
  }

  /** The active member with this ID-number hash, with their household. */
  async activeByIdHash(hash: string) {
    return this.prisma.member.findFirst({ where: { activeIdHash: hash }, include: { household: true } });
  }

  async activeMember(householdId: string, memberId: string, db: Pick<Tx, 'member'> = this.prisma) {
    return db.member.findFirst({ where: { id: memberId, householdId, active: true } });
  }

  /** A member row as a member-change case adds it (the household's count is set by its caller). */
  async insertMember(tx: Tx, householdId: string, row: ReturnType<typeof memberRow>) {
    return tx.member.create({ data: { ...row, householdId } });
  }

  /** A plain data fix of a member (education, health, work, insurance); returns the member as it was. */
  async correctMember(tx: Tx, memberId: string, fix: Prisma.MemberUpdateInput) {
    const before = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    await tx.member.update({ where: { id: memberId }, data: fix });
    return before;
  }

  async activeMembers(householdId: string, db: Pick<Tx, 'member'> = this.prisma) {
    return db.member.findMany({ where: { householdId, active: true }, orderBy: { createdAt: 'asc' } });
  }

  /** A member leaves: inactive, their ID-number hash freed for another household. */
  async removeMember(tx: Tx, memberId: string, reason: string): Promise<void> {
    await tx.member.update({
      where: { id: memberId },
      data: { active: false, activeIdHash: null, leftAt: new Date(), leftReason: reason },
    });
  }

  async activeLabourCapacities(tx: Tx, householdId: string) {
    return (await tx.member.findMany({ where: { householdId, active: true }, select: { labourCapacity: true } })).map(
      (m) => m.labourCapacity,
    );
  }

  /** The year's latest assessment (核实) of the household. */
  async assessmentOfYear(tx: Tx, householdId: string, year: number) {
    return tx.assessment.findFirst({ where: { householdId, year }, orderBy: { assessedOn: 'desc' } });
  }

  /** Every assessment of the household, oldest first. */
  async assessments(tx: Tx, householdId: string) {
    return tx.assessment.findMany({ where: { householdId }, orderBy: { assessedOn: 'asc' } });
  }

  /** Open 指派帮扶责任人 tasks of the household (identification announced without a helper). */
  async openAssignHelperTasks(tx: Tx, householdId: string) {
    return tx.task.findMany({
      where: { step: 'village.assign_helper', status: 'OPEN', case: { householdId } },
      select: { id: true },
    });
  }

  /** The household's running follow-up case, if any (its open key is unique). */
  async openFollowUp(householdId: string) {
    return this.prisma.case.findUnique({
      where: { openKey: `follow_up/${householdId}` },
      select: { workflowId: true },
    });
  }
}
