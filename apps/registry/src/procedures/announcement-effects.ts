import { TaskStore } from './task.store';
import { RemovalReason, removalOutcome } from '@jingzhun/domain';
import { MemberMovesStore } from '../households/member-moves.store';
import { Injectable } from '@nestjs/common';
import { RegistrySubjects, type Actor, type ProcedureKind } from '@jingzhun/contracts';
import type { Case, Household, Prisma } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import { Journal } from '../journal/journal';
import type { Tx } from '../prisma/prisma.service';
import { RegionStore } from '../regions/region.store';
import { UserStore } from '../users/user.store';
import { MemberChanges } from './member-changes';

/** Who announces: the officer of the approving decision, with their real role (DESIGN.md: the audit records the real actor). */
type Announcer = Pick<Actor, 'id' | 'role'>;
interface EffectContext {
  tx: Tx;
  c: Case;
  household: Household;
  approval: Record<string, unknown>;
  actor: Announcer;
}
type HouseholdEffect = (ctx: EffectContext) => Promise<Prisma.HouseholdUpdateInput>;

const AUDITED_FIELDS = [
  'status',
  'headName',
  'identifiedYear',
  'exitYear',
  'returnedYear',
  'helperId',
  'memberCount',
  'netIncomePerHead',
  'monitoringType',
  'monitoredSince',
  'riskEliminatedAt',
] as const;

/**
 * 公告's effect on the registry, one entry per procedure kind: what the announcement changes, and
 * nothing else does. Runs inside the announcement's transaction, after its preconditions held.
 * The household's change is written with its before/after audit entry and a households.changed event.
 */
@Injectable()
export class AnnouncementEffects {
  private readonly householdEffects: Record<
    Exclude<ProcedureKind, 'village_exit' | 'follow_up' | 'annual_adjustment'>,
    HouseholdEffect
  > = {
    identification: async ({ tx, c, household, approval }) => {
      const helper = await this.helperFor(tx, household.villageCode, approval.helperId);
      // A village without a helper does not hold the announcement back: the household is announced and
      // the village owes it a helper (a task in its inbox, closed by PUT /households/:id/helper).
      if (!helper) {
        await this.tasks.open(tx, {
          caseId: c.id,
          workflowId: c.workflowId,
          key: `${c.workflowId}/assign-helper`,
          step: 'village.assign_helper',
          role: 'village',
          regionCode: household.villageCode,
          dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          availableAt: null,
          objectionId: null,
          assigneeId: null,
        });
      }
      return { status: 'POOR', identifiedYear: c.year, ...(helper ? { helper: { connect: { id: helper } } } : {}) };
    },
    return: async ({ c }) => ({ status: 'POOR', returnedYear: c.year, exitYear: null }),
    exit: async ({ c }) => ({ status: 'EXITED', exitYear: c.year }),
    member_change: ({ tx, c, household, actor }) => this.members.apply(tx, c, household, actor),
    monitoring_inclusion: async ({ c, household, approval }) => {
      const data = c.data as Record<string, unknown>;
      const type = String(
        approval.monitoringType ??
          data.monitoringType ??
          (household.status === 'EXITED' ? 'UNSTABLE_EXITED' : 'MARGINAL'),
      );
      return {
        status: 'MONITORED',
        monitoringType: type as never,
        monitoredSince: new Date(),
        statusBeforeMonitoring: household.status,
        riskEliminatedAt: null,
      };
    },
    // 风险消除: back to what the household was; the monitoring type and dates stay as the record. A stock
    // record without its earlier status goes back by its type: 脱贫不稳定户 to EXITED, any other to a
    // general household (APPLICANT), never EXITED for a household that was never poor.
    // 清退: out of the registry as REMOVED (members freed, history kept), or 错退 corrected back to POOR.
    removal: async ({ tx, c, household, actor }) => {
      const reason = String((c.data as Record<string, unknown>).removalReason) as RemovalReason;
      if (removalOutcome(reason) === 'POOR') return { status: 'POOR', exitYear: null };
      const freed = await this.moves.closeAll(tx, household.id, 'REMOVED');
      await this.journal.record(tx, actor, {
        action: 'household.removed',
        entity: 'household',
        entityId: household.id,
        householdId: household.id,
        regionCode: household.villageCode,
        caseId: c.id,
        before: { status: household.status },
        after: { status: 'REMOVED', reason, reasonLabel: RemovalReason.labels[reason], membersFreed: freed },
      });
      return { status: 'REMOVED' };
    },
    risk_elimination: async ({ household }) => ({
      status:
        household.statusBeforeMonitoring ?? (household.monitoringType === 'UNSTABLE_EXITED' ? 'EXITED' : 'APPLICANT'),
      riskEliminatedAt: new Date(),
    }),
  };

  constructor(
    private readonly journal: Journal,
    private readonly households: HouseholdStore,
    private readonly regions: RegionStore,
    private readonly users: UserStore,
    private readonly members: MemberChanges,
    private readonly moves: MemberMovesStore,
    private readonly tasks: TaskStore,
  ) {}

  async apply(tx: Tx, c: Case, approval: Record<string, unknown>, actor: Announcer): Promise<void> {
    if (c.kind === 'village_exit') return this.villageExited(tx, c, actor);
    const effect = this.householdEffects[c.kind as keyof AnnouncementEffects['householdEffects']];
    if (!effect) throw new Error(`no announcement effect for ${c.kind}`);
    const h = await this.households.findOrThrow(c.householdId!, tx);
    const change = await effect({ tx, c, household: h, approval, actor });
    const after = await this.households.applyChange(tx, h.id, change);
    const pick = (x: Household) => Object.fromEntries(AUDITED_FIELDS.map((f) => [f, x[f]]));
    const same = (a: unknown, b: unknown) =>
      a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
    await this.journal.record(
      tx,
      actor,
      {
        action: `household.${c.kind}.announced`,
        entity: 'household',
        entityId: h.id,
        householdId: h.id,
        regionCode: h.villageCode,
        caseId: c.id,
        before: pick(h),
        after: pick(after),
      },
      {
        subject: RegistrySubjects.householdChanged,
        data: {
          householdId: h.id,
          number: h.number,
          villageCode: h.villageCode,
          fields: AUDITED_FIELDS.filter((f) => !same(h[f], after[f])),
          caseId: c.id,
          kind: c.kind,
        },
      },
    );
  }

  private async villageExited(tx: Tx, c: Case, actor: Announcer): Promise<void> {
    const before = await this.regions.markExited(tx, c.regionCode, c.year);
    await this.journal.record(tx, actor, {
      action: 'village.exited',
      entity: 'region',
      entityId: c.regionCode,
      regionCode: c.regionCode,
      caseId: c.id,
      before: { exitYear: before.exitYear },
      after: { exitYear: c.year },
    });
  }

  /** The county may name a helper of the household's village; otherwise the village's helper with the fewest households, or none. */
  private async helperFor(tx: Tx, villageCode: string, named: unknown): Promise<string | null> {
    if (typeof named === 'string' && (await this.users.isVillageHelper(named, villageCode, tx))) return named;
    return this.users.leastLoadedHelper(tx, villageCode);
  }
}
