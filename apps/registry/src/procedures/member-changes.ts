import { Injectable } from '@nestjs/common';
import { RegistrySubjects, type Actor, HouseholdError } from '@jingzhun/contracts';
import {
  MemberLeaveReason,
  memberChangeData,
  memberInputSchema,
  netIncomePerHead,
  planMemberChanges,
  type MemberChangeItem,
} from '@jingzhun/domain';
import { conflict, invalid, type AuthUser } from '@jingzhun/platform';
import type { Case, Household, Prisma } from '../generated/prisma/client';
import { allocateHouseholdNumbers } from '../households/household-number.store';
import { HouseholdStore } from '../households/household.store';
import { MemberMovesStore } from '../households/member-moves.store';
import { memberRow } from '../households/member-row';
import { registeredElsewhere } from '../households/registered-elsewhere';
import { IdNumberVault, type SealedIdNumber } from '../id-numbers/id-number-vault';
import { Journal } from '../journal/journal';
import type { Tx } from '../prisma/prisma.service';

/** Keys of a single change given at the top of a case's data (the short form): replaced by `changes`. */
const SHORT_FORM = ['change', 'reason', 'member', 'memberId', 'newHeadId', 'memberIds', 'relations'];

type StoredChange =
  | MemberChangeItem
  | (Omit<Extract<MemberChangeItem, { change: 'add' }>, 'member'> & {
      member: Record<string, unknown> & { idSealed: SealedIdNumber };
    });

/**
 * 成员变更 in the registry: what a case carries (`data.changes`, each new member's ID number sealed,
 * never in clear), what the rules say about it against the members living there now (at the start
 * and again at the announcement), and what its announcement writes: members in and out, a new head,
 * a split household, a closed one; the household's size and income per head recomputed from its residents.
 */
@Injectable()
export class MemberChanges {
  constructor(
    private readonly households: HouseholdStore,
    private readonly moves: MemberMovesStore,
    private readonly vault: IdNumberVault,
    private readonly journal: Journal,
  ) {}

  /** Normalises the case's data to `{ changes }`, seals new members' ID numbers and refuses one registered elsewhere. */
  async prepare(actor: AuthUser, data: Record<string, unknown>): Promise<void> {
    const parsed = memberChangeData(data);
    if (!parsed.success) throw invalid(`data.${parsed.error.issues[0].path.join('.')}`, parsed.error.issues[0].message);
    const changes: StoredChange[] = [];
    for (const [i, c] of parsed.data.changes.entries()) {
      if (c.change !== 'add') {
        changes.push(c);
        continue;
      }
      const sealed = this.vault.seal(c.member.idNumber);
      const active = await this.households.activeByIdHash(sealed.hash);
      const field = 'changes' in data ? `data.changes.${i}.member.idNumber` : 'data.member.idNumber';
      if (active)
        throw conflict(
          HouseholdError.PersonAlreadyRegistered,
          `${field}: ${registeredElsewhere(actor, active.household)}`,
        );
      const { idNumber: _plain, ...rest } = c.member;
      changes.push({ ...c, member: { ...rest, idMasked: sealed.masked, idSealed: sealed } });
    }
    for (const k of SHORT_FORM) delete data[k];
    data.changes = changes;
  }

  /** Every unmet condition of the case's changes against the household's residents now. */
  async obstacles(tx: Pick<Tx, 'member'>, household: Household, data: Record<string, unknown>): Promise<string[]> {
    if (household.status === 'CLOSED') return ['已销户的户不能变更成员'];
    const changes = storedChanges(data);
    return planMemberChanges(changes, await this.moves.residents(tx, household.id)).obstacles;
  }

  /** The announcement's effect on the household (its own row's change is returned; other rows are written here). */
  async apply(
    tx: Tx,
    c: Case,
    household: Household,
    actor: Pick<Actor, 'id' | 'role'>,
  ): Promise<Prisma.HouseholdUpdateInput> {
    const changes = storedChanges(c.data as Record<string, unknown>);
    const residents = await this.moves.residents(tx, household.id);
    const { plan, obstacles } = planMemberChanges(changes, residents);
    if (obstacles.length > 0) throw new Error(`member change ${c.id} no longer applies: ${obstacles.join('; ')}`); // the announcement re-checked them
    const name = (id: string) => residents.find((m) => m.id === id)?.name ?? id;
    const audit = (action: string, entityId: string, before: unknown, after: unknown, householdId = household.id) =>
      this.journal.record(tx, actor, {
        action,
        entity: 'member',
        entityId,
        householdId,
        regionCode: household.villageCode,
        caseId: c.id,
        before,
        after,
      });
    const change: Prisma.HouseholdUpdateInput = {};

    for (const ch of changes) {
      if (ch.change === 'add') {
        const stored = ch.member as Record<string, unknown> & { idSealed: SealedIdNumber };
        // Validated at case start; parsed again to apply the same defaults as a direct addition.
        const m = memberInputSchema.parse({ ...stored, idNumber: this.vault.open(stored.idSealed.cipher) });
        const added = await this.households.insertMember(tx, household.id, memberRow(m, stored.idSealed));
        await audit('member.added', added.id, null, {
          name: m.name,
          idMasked: stored.idSealed.masked,
          relation: m.relation,
          reason: ch.reason,
        });
      } else if (ch.change === 'head') {
        const formerHead = residents.find((m) => m.relation === 'HEAD');
        if (formerHead && !plan.leaving.has(formerHead.id))
          await this.moves.setRelation(tx, formerHead.id, ch.relations?.[formerHead.id] ?? 'OTHER');
        for (const [id, relation] of Object.entries(ch.relations ?? {}))
          if (id !== ch.newHeadId && id !== formerHead?.id && plan.staying.includes(id))
            await this.moves.setRelation(tx, id, relation);
        await this.moves.setRelation(tx, ch.newHeadId, 'HEAD');
        change.headName = name(ch.newHeadId);
        await audit(
          'household.head_changed',
          ch.newHeadId,
          { head: formerHead?.name ?? null },
          {
            head: name(ch.newHeadId),
            formerHeadRelation:
              formerHead && !plan.leaving.has(formerHead.id) ? (ch.relations?.[formerHead.id] ?? 'OTHER') : null,
          },
        );
      } else if (ch.change === 'split') {
        await this.split(tx, c, household, ch, name, actor);
      } else if (ch.change === 'remove') {
        const before = await this.households.activeMember(household.id, ch.memberId, tx);
        await this.households.removeMember(tx, ch.memberId, ch.reason);
        await audit(
          'member.left',
          ch.memberId,
          { active: true },
          {
            active: false,
            reason: ch.reason,
            reasonLabel: MemberLeaveReason.labels[ch.reason],
            name: before?.name,
            idMasked: before?.idMasked,
          },
        );
      }
    }
    if (plan.closes) {
      // 整户注销: the last members leave (or all at once); the household stays in the registry as CLOSED with its history.
      const reason =
        changes.find((x) => x.change === 'close')?.reason ??
        changes.find((x) => x.change === 'remove')?.reason ??
        'CORRECTION';
      const left = await this.moves.closeAll(tx, household.id, reason);
      await this.journal.record(tx, actor, {
        action: 'household.closed',
        entity: 'household',
        entityId: household.id,
        householdId: household.id,
        regionCode: household.villageCode,
        caseId: c.id,
        before: { status: household.status },
        after: { status: 'CLOSED', reason, membersLeft: left },
      });
      return { status: 'CLOSED', memberCount: 0 };
    }
    return { ...change, ...(await this.recount(tx, household.id)) };
  }

  /** 分户: the members leave into a new household of the registry with the same status; both households are recounted. */
  private async split(
    tx: Tx,
    c: Case,
    from: Household,
    ch: Extract<MemberChangeItem, { change: 'split' }>,
    name: (id: string) => string,
    actor: Pick<Actor, 'id' | 'role'>,
  ): Promise<void> {
    const [number] = await allocateHouseholdNumbers(tx, from.villageCode);
    const created = await this.moves.createSplit(tx, from, number, name(ch.newHeadId));
    const moved: { name: string; relation: string }[] = [];
    for (const id of ch.memberIds) {
      const relation = id === ch.newHeadId ? 'HEAD' : (ch.relations?.[id] ?? 'OTHER');
      await this.moves.move(tx, id, created.id, relation);
      moved.push({ name: name(id), relation });
    }
    const counted = await this.recount(tx, created.id);
    await this.moves.setCounts(tx, created.id, counted);
    await this.journal.record(
      tx,
      actor,
      {
        action: 'household.split',
        entity: 'household',
        entityId: created.id,
        householdId: created.id,
        regionCode: from.villageCode,
        caseId: c.id,
        before: { from: from.number },
        after: { number, status: created.status, members: moved, from: from.number },
      },
      {
        subject: RegistrySubjects.householdCreated,
        data: {
          householdId: created.id,
          number,
          villageCode: created.villageCode,
          status: created.status,
          memberCount: moved.length,
          origin: 'split',
        },
      },
    );
    await this.journal.record(tx, actor, {
      action: 'household.split_out',
      entity: 'household',
      entityId: from.id,
      householdId: from.id,
      regionCode: from.villageCode,
      caseId: c.id,
      after: { to: number, members: moved.map((m) => m.name) },
    });
  }

  /** 人均纯收入 recomputed over the residents now (the latest assessment's income, this household's size); none without an assessment. */
  private async recount(
    tx: Tx,
    householdId: string,
  ): Promise<{ memberCount: number; netIncomePerHead: number | null }> {
    const people = await this.households.activeMemberCount(tx, householdId);
    const latest = await this.households.latestAssessment(tx, householdId);
    return {
      memberCount: people,
      netIncomePerHead: latest && people > 0 ? netIncomePerHead({ ...latest, people }) : null,
    };
  }
}

/** The changes a case carries (stored `{ changes }`, or a case opened before they were lists: one change at the top). */
export function storedChanges(data: Record<string, unknown>): StoredChange[] {
  if (Array.isArray(data.changes)) return data.changes as StoredChange[];
  return [data as unknown as StoredChange];
}
