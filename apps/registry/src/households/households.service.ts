import { TaskStore } from '../procedures/task.store';
import { FollowUpCoverage } from '../follow-ups/follow-up-coverage';
import { Injectable, Logger } from '@nestjs/common';
import { isWithin, netIncomePerHead } from '@jingzhun/domain';
import { helperReassignedSignal, RegistrySubjects, CommonError, HouseholdError } from '@jingzhun/contracts';
import {
  assertJurisdiction,
  conflict,
  forbidden,
  invalid,
  notFound,
  TemporalClientService,
  type AuthUser,
} from '@jingzhun/platform';
import type { Household } from '../generated/prisma/client';
import { IdNumberVault } from '../id-numbers/id-number-vault';
import { Journal } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { HouseholdQueries } from './household-queries';
import { HouseholdStore } from './household.store';
import { allocateHouseholdNumbers } from './household-number.store';
import { memberRow } from './member-row';
import { registeredElsewhere } from './registered-elsewhere';
import type { HouseholdCreate, HouseholdUpdate, MemberAddition } from '@jingzhun/domain';
import { householdSummary, memberAuditView } from './household.view';

@Injectable()
export class HouseholdsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly vault: IdNumberVault,
    private readonly journal: Journal,
    private readonly temporal: TemporalClientService,
    private readonly store: HouseholdStore,
    private readonly coverage: FollowUpCoverage,
    private readonly tasks: TaskStore,
    private readonly queries: HouseholdQueries,
  ) {}

  async create(actor: AuthUser, input: HouseholdCreate) {
    if (input.status !== 'APPLICANT' && actor.role !== 'county' && actor.role !== 'admin') {
      throw forbidden(
        CommonError.RoleNotAllowed,
        '只有县级或管理员可直接登记非申请状态的户(存量数据); 新户请以申请状态登记后走识别程序',
      );
    }
    assertJurisdiction(actor, input.villageCode);
    await this.assertVillage(input.villageCode);
    if (input.helperId) await this.assertHelper(input.helperId, input.villageCode, 'helperId');
    const sealed = input.members.map((m) => this.vault.seal(m.idNumber));

    const id = await this.prisma.$transaction(async (tx) => {
      await this.assertNotActiveElsewhere(
        tx,
        actor,
        sealed.map((s, i) => ({ hash: s.hash, path: `members.${i}.idNumber` })),
      );
      const [number] = await allocateHouseholdNumbers(tx, input.villageCode);
      const household = await this.store.create(tx, number, input, sealed);
      await this.journal.record(
        tx,
        actor,
        {
          action: 'household.created',
          entity: 'household',
          entityId: household.id,
          householdId: household.id,
          regionCode: household.villageCode,
          after: { ...householdSummary(household), members: household.members.map(memberAuditView) },
        },
        {
          subject: RegistrySubjects.householdCreated,
          data: {
            householdId: household.id,
            number,
            villageCode: household.villageCode,
            status: household.status,
            memberCount: household.memberCount,
            origin: 'api',
          },
        },
      );
      return household.id;
    });
    // Stock registered as exited or monitored gets its follow-up from the registry's sweep.
    if (input.status === 'EXITED' || input.status === 'MONITORED') this.coverage.request();
    return this.queries.detail(actor, id);
  }

  async update(actor: AuthUser, id: string, { reason, ...input }: HouseholdUpdate) {
    // 纳入监测时间 decides risk elimination (≥ 6 months: RULES.md row 5): only an announced inclusion sets
    // it, or the county correcting stock registered before the system, audited with its reason.
    if (input.monitoredSince !== undefined && actor.role !== 'county')
      throw forbidden(
        CommonError.RoleNotAllowed,
        '纳入监测时间由纳入监测公告确定, 只有县级可更正存量数据 (须说明原因)',
      );
    await this.prisma.$transaction(async (tx) => {
      const before = await this.loadForWrite(tx, actor, id);
      if (input.monitoredSince !== undefined && before.status !== 'MONITORED')
        throw conflict(HouseholdError.NotMonitored, `户状态为 ${before.status}, 不是监测对象`);
      const main = input.mainCause ?? before.mainCause;
      const secondary = input.secondaryCauses ?? before.secondaryCauses;
      if (secondary.includes(main)) throw invalid('secondaryCauses', '不能与主要致贫原因相同');
      const after = await this.store.update(tx, id, input);
      const fields = Object.keys(input);
      await this.journal.record(
        tx,
        actor,
        {
          action: 'household.changed',
          entity: 'household',
          entityId: id,
          householdId: id,
          regionCode: after.villageCode,
          before: pick(householdSummary(before), fields),
          after: { ...pick(householdSummary(after), fields), ...(reason ? { reason } : {}) },
        },
        {
          subject: RegistrySubjects.householdChanged,
          data: { householdId: id, number: after.number, villageCode: after.villageCode, fields },
        },
      );
    });
    return this.queries.detail(actor, id);
  }

  async addMember(actor: AuthUser, householdId: string, { correctionReason, ...input }: MemberAddition) {
    const sealed = this.vault.seal(input.idNumber);
    const memberId = await this.prisma.$transaction(async (tx) => {
      const household = await this.loadForWrite(tx, actor, householdId);
      // A registered household's members change through the member-change procedure (RULES.md row 7),
      // or by a county correction that says why (audited); an applicant's are still being recorded.
      if (household.status !== 'APPLICANT' && !(actor.role === 'county' && correctionReason)) {
        throw conflict(
          HouseholdError.UseMemberChange,
          `户 ${household.number} 已在册: 成员增加须走成员变更程序 (POST /cases, kind member_change)${actor.role === 'county' ? '; 县级更正须说明原因 (correctionReason)' : ''}`,
        );
      }
      if (input.relation === 'HEAD') {
        if (await this.store.activeHead(tx, householdId))
          throw conflict(HouseholdError.HeadExists, `户 ${household.number} 已有户主,户主变更须走成员变更程序`);
      }
      await this.assertNotActiveElsewhere(tx, actor, [{ hash: sealed.hash, path: 'idNumber' }]);
      const { member, household: after } = await this.store.addMember(tx, householdId, memberRow(input, sealed));
      // 人均纯收入 follows the people living in the household (RULES.md row 8b).
      const latest = await this.store.latestAssessment(tx, householdId);
      if (latest)
        await this.store.setIncome(tx, householdId, netIncomePerHead({ ...latest, people: after.memberCount }));
      await this.journal.record(
        tx,
        actor,
        {
          action: 'member.added',
          entity: 'member',
          entityId: member.id,
          householdId,
          regionCode: household.villageCode,
          after: { ...memberAuditView(member), ...(correctionReason ? { correctionReason } : {}) },
        },
        {
          subject: RegistrySubjects.memberAdded,
          data: {
            householdId,
            number: after.number,
            villageCode: after.villageCode,
            memberId: member.id,
            relation: member.relation,
          },
        },
      );
      return member.id;
    });
    const detail = await this.queries.detail(actor, householdId);
    return { memberId, household: detail };
  }

  async assignHelper(actor: AuthUser, householdId: string, helperId: string) {
    await this.prisma.$transaction(async (tx) => {
      const household = await this.loadForWrite(tx, actor, householdId);
      await this.assertHelper(helperId, household.villageCode, 'helperId');
      if (household.helperId === helperId) return;
      await this.store.setHelper(tx, householdId, helperId);
      // The village's 指派帮扶责任人 task, if identification left one, is done with it.
      for (const t of await this.store.openAssignHelperTasks(tx, householdId)) {
        await this.tasks.close(tx, {
          taskId: t.id,
          decision: 'approve',
          comment: `已指派帮扶责任人 ${helperId}`,
          data: { helperId },
          actor,
        });
      }
      await this.journal.record(
        tx,
        actor,
        {
          action: 'helper.assigned',
          entity: 'household',
          entityId: householdId,
          householdId,
          regionCode: household.villageCode,
          before: { helperId: household.helperId },
          after: { helperId },
        },
        {
          subject: RegistrySubjects.helperAssigned,
          data: {
            householdId,
            number: household.number,
            villageCode: household.villageCode,
            helperId,
            previousHelperId: household.helperId,
          },
        },
      );
    });
    await this.tellFollowUp(householdId, helperId);
    return this.queries.detail(actor, householdId);
  }

  /**
   * The running follow-up moves its open revisit to the new helper. Best effort: if Temporal is
   * unreachable now, the next cycle reads the helper from the registry anyway.
   */
  private async tellFollowUp(householdId: string, helperId: string): Promise<void> {
    const open = await this.store.openFollowUp(householdId);
    if (!open) return;
    try {
      const client = await this.temporal.client();
      await client.workflow.getHandle(open.workflowId).signal(helperReassignedSignal, { helperId });
    } catch (err) {
      new Logger(HouseholdsService.name).warn(
        `follow-up ${open.workflowId}: helper signal not delivered (${(err as Error).message}); the next cycle picks the new helper up`,
      );
    }
  }

  /** A person is active in at most one household: 409 naming the other household only inside the caller's jurisdiction. */
  private async assertNotActiveElsewhere(tx: Tx, actor: AuthUser, people: { hash: string; path: string }[]) {
    const existing = await this.store.activeElsewhere(
      tx,
      people.map((p) => p.hash),
    );
    if (existing.length === 0) return;
    const byHash = new Map(existing.map((e) => [e.activeIdHash, e.household]));
    const clashes = people
      .filter((p) => byHash.has(p.hash))
      .map((p) => ({ path: p.path, message: registeredElsewhere(actor, byHash.get(p.hash)!) }));
    throw conflict(HouseholdError.PersonAlreadyRegistered, clashes.map((c) => `${c.path}: ${c.message}`).join('; '), {
      clashes,
    });
  }

  /** The household locked for a write by this actor: in their jurisdiction, theirs if a helper, not closed. */
  async loadForWrite(tx: Tx, actor: AuthUser, id: string): Promise<Household> {
    // Row lock: concurrent writers to one household are serialised, so version and counts stay exact.
    const h = await this.store.lock(tx, id);
    if (!h) throw notFound('户', id);
    assertJurisdiction(actor, h.villageCode);
    if (actor.role === 'helper' && h.helperId !== actor.id)
      throw forbidden(HouseholdError.NotAssignedHelper, '您不是该户的帮扶责任人');
    if (h.status === 'CLOSED' || h.status === 'REMOVED')
      throw conflict(
        HouseholdError.HouseholdClosed,
        `户 ${h.number} ${h.status === 'CLOSED' ? '已销户' : '已清退'},不能修改`,
      );
    return h;
  }

  private async assertVillage(code: string) {
    const region = await this.store.region(code);
    if (region?.level !== 'VILLAGE') throw invalid('villageCode', `行政村 ${code} 不存在`);
  }

  private async assertHelper(helperId: string, villageCode: string, path: string) {
    const helper = await this.store.user(helperId);
    if (!helper?.active || helper.role !== 'helper') throw invalid(path, `帮扶责任人 ${helperId} 不存在或已停用`);
    // A helper may come from the village, the township or the county: the village must lie in the helper's region.
    if (!isWithin(helper.regionCode, villageCode)) throw invalid(path, `帮扶责任人 ${helperId} 的所属区划不包含该村`);
  }
}

function pick<T extends Record<string, unknown>>(obj: T, keys: string[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]])) as Partial<T>;
}
