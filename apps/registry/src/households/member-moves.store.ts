import { Injectable } from '@nestjs/common';
import type { ResidentMember } from '@jingzhun/domain';
import type { Household, Member } from '../generated/prisma/client';
import type { Tx } from '../prisma/prisma.service';

/**
 * The rows a member change moves: relations, a new head, a split household and the members who
 * move into it, a closed household. Each write is in the announcement's transaction, where its
 * audit entries are written too; history stays (a member who leaves is marked inactive, never deleted).
 */
@Injectable()
export class MemberMovesStore {
  async residents(tx: Pick<Tx, 'member'>, householdId: string): Promise<ResidentMember[]> {
    return tx.member.findMany({
      where: { householdId, active: true },
      select: { id: true, name: true, relation: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Names and relations of members by id, living or gone (a case's evidence names who left). */
  async named(
    tx: Pick<Tx, 'member'>,
    ids: string[],
  ): Promise<{ id: string; name: string; relation: string; active: boolean }[]> {
    if (ids.length === 0) return [];
    return tx.member.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, relation: true, active: true },
    });
  }

  async setRelation(tx: Tx, memberId: string, relation: string): Promise<void> {
    await tx.member.update({ where: { id: memberId }, data: { relation } });
  }

  /** 分户: a new household of the registry with the same status, dates, causes and helper as the one it leaves. */
  async createSplit(tx: Tx, from: Household, number: string, headName: string): Promise<Household> {
    return tx.household.create({
      data: {
        number,
        villageCode: from.villageCode,
        headName,
        status: from.status,
        attribute: from.attribute,
        mainCause: from.mainCause,
        secondaryCauses: from.secondaryCauses,
        identifiedYear: from.identifiedYear,
        exitYear: from.exitYear,
        returnedYear: from.returnedYear,
        monitoringType: from.monitoringType,
        monitoredSince: from.monitoredSince,
        statusBeforeMonitoring: from.statusBeforeMonitoring,
        helperId: from.helperId,
        address: from.address,
        memberCount: 0,
      },
    });
  }

  /** A member moves to another household: the old row is closed (reason SPLIT), a new one carries the same person. */
  async move(tx: Tx, memberId: string, to: string, relation: string): Promise<Member> {
    const m = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    await tx.member.update({
      where: { id: memberId },
      data: { active: false, activeIdHash: null, leftAt: new Date(), leftReason: 'SPLIT' },
    });
    const { id: _id, householdId: _from, createdAt: _c, updatedAt: _u, leftAt: _l, leftReason: _r, ...person } = m;
    return tx.member.create({ data: { ...person, householdId: to, relation, active: true, activeIdHash: m.idHash } });
  }

  async setCounts(
    tx: Tx,
    householdId: string,
    counts: { memberCount: number; netIncomePerHead: number | null },
  ): Promise<void> {
    await tx.household.update({ where: { id: householdId }, data: counts });
  }

  /** 整户注销: every member still there is marked as gone with the reason. */
  async closeAll(tx: Tx, householdId: string, reason: string): Promise<number> {
    return (
      await tx.member.updateMany({
        where: { householdId, active: true },
        data: { active: false, activeIdHash: null, leftAt: new Date(), leftReason: reason },
      })
    ).count;
  }
}
