import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ancestorCode, cstYear, PROCEDURES, Role } from '@jingzhun/domain';
import {
  CaseSubjects,
  followUpWorkflowId,
  procedureWorkflowId,
  type Actor,
  type ProcedureKind,
  CaseError,
  CommonError,
} from '@jingzhun/contracts';
import {
  assertJurisdiction,
  CONFIG,
  conflict,
  DomainException,
  forbidden,
  invalid,
  TemporalClientService,
  type AuthUser,
  type BaseConfig,
} from '@jingzhun/platform';
import type { Case, Household, Region } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import { RegionStore } from '../regions/region.store';
import { CaseStore } from './case.store';
import { workflowExists } from './workflow-exists';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { WorkflowStarter } from './workflow-starter';
import { MemberChanges } from './member-changes';
import { Preconditions } from './preconditions';
import type { CaseStart } from './procedure.schemas';

@Injectable()
export class CasesService {
  private readonly log = new Logger(CasesService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly store: CaseStore,
    private readonly households: HouseholdStore,
    private readonly regions: RegionStore,
    private readonly journal: Journal,
    private readonly preconditions: Preconditions,
    private readonly temporal: TemporalClientService,
    private readonly starter: WorkflowStarter,
    private readonly memberChanges: MemberChanges,
    @Inject(CONFIG) readonly _config: BaseConfig,
  ) {}

  async start(actor: AuthUser, input: CaseStart) {
    // Who may open each procedure is the catalogue's (libs/domain/src/procedures).
    const def = PROCEDURES[input.kind];
    if (!def.starters.includes(actor.role))
      throw forbidden(CommonError.RoleNotAllowed, `${Role.labels[actor.role] ?? actor.role} 不能发起${def.label}`);
    // The year that decides the case is China Standard Time's (DESIGN.md "Years and dates").
    const year = input.year ?? cstYear();
    const household = input.householdId ? await this.households.find(input.householdId) : null;
    if (input.householdId && !household) throw invalid('householdId', `户 ${input.householdId} 不存在`);
    const regionCode = household?.villageCode ?? input.regionCode!;
    assertJurisdiction(actor, regionCode);
    const region = await this.regions.find(regionCode);
    if (region?.level !== 'VILLAGE') throw invalid('regionCode', `行政村 ${regionCode} 不存在`);

    const data = { ...input.data };
    // The 15-day decision clock of 纳入监测 runs from the first risk clue: now, unless given.
    if (input.kind === 'monitoring_inclusion') data.firstClueAt ??= new Date().toISOString();
    if (input.kind === 'member_change') await this.memberChanges.prepare(actor, data);

    return this.openAndStart(actor, { kind: input.kind, year, household, region, reason: input.reason, data });
  }

  /** 年度动态调整: the county's campaign, opened by a county officer after the dry run (CampaignsService). */
  async startCampaign(actor: AuthUser, county: Region, year: number, data: Record<string, unknown>) {
    return this.openAndStart(actor, {
      kind: 'annual_adjustment',
      year,
      household: null,
      region: county,
      reason: `${year} 年度动态调整`,
      data,
    });
  }

  /** Opens the case (409 when one is open) and starts its workflow; one that cannot start closes the case again. An open case whose workflow never started (a crash between the two) is started by the next request to open it, not refused forever. */
  private async openAndStart(
    actor: AuthUser,
    o: {
      kind: ProcedureKind;
      year: number;
      household: Household | null;
      region: Region;
      reason: string;
      data: Record<string, unknown>;
    },
  ) {
    const opening = await this.prisma.$transaction((tx) => this.openCase(tx, { ...o, actor, bySystem: false }));
    const view = (c: Case) => ({ id: c.id, workflowId: c.workflowId, status: c.status, step: c.step, kind: c.kind });
    if ('open' in opening) {
      const open = opening.open;
      if (!(await workflowExists(await this.temporal.client(), open.workflowId))) {
        try {
          await this.starter.start(open, o.household?.number ?? null, actor);
          this.log.warn(
            `case ${open.id}: its workflow had not started (a crash between opening and starting); started now`,
          );
          return view(open);
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
      throw conflict(CaseError.CaseAlreadyOpen, `已有进行中的同类程序 ${open.id} (${open.workflowId}), 不能重复发起`, {
        caseId: open.id,
        workflowId: open.workflowId,
      });
    }
    const created = opening.opened;
    try {
      await this.starter.start(created, o.household?.number ?? null, actor);
    } catch (err) {
      // Started after all (the answer was lost on the way back): the case stands.
      if (
        err instanceof WorkflowExecutionAlreadyStartedError ||
        (await workflowExists(await this.temporal.client(), created.workflowId).catch(() => false))
      )
        return view(created);
      // The workflow could not start: close the case so it can be started again, and say so.
      await this.store.cancelUnstarted(created.id, '流程引擎不可用, 未能启动');
      this.log.error(`case ${created.id}: workflow start failed: ${(err as Error).message}`);
      throw new DomainException(503, CommonError.WorkflowUnavailable, '流程引擎暂不可用, 请稍后重试');
    }
    return view(created);
  }

  /**
   * A case the system opens: monitoring inclusion after a risky revisit or a confirmed alert, the
   * follow-up after an exit or a monitoring inclusion (also the backfill). Idempotent: an open case
   * of the kind is returned (and its workflow started if a crash left it unstarted).
   */
  async startBySystem(
    kind: ProcedureKind,
    householdId: string,
    reason: string,
    data: Record<string, unknown>,
    actor: Actor = SYSTEM_ACTOR,
    year = cstYear(),
  ) {
    const household = await this.households.findOrThrow(householdId);
    const region = await this.regions.findOrThrow(household.villageCode);
    let created = false;
    const c = await this.prisma.$transaction(async (tx) => {
      const opening = await this.openCase(tx, { kind, year, household, region, reason, data, actor, bySystem: true });
      if ('open' in opening) return opening.open;
      created = true;
      return opening.opened;
    });
    try {
      await this.starter.start(c, household.number, actor as AuthUser);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { caseId: c.id, workflowId: c.workflowId, alreadyOpen: !created };
  }

  /**
   * A case a finding opens (a campaign's verification): as the system opens cases, in the name of
   * whoever recorded the finding, for the campaign's year; a member addition's ID number is sealed first.
   */
  async startFromFinding(
    actor: AuthUser,
    kind: ProcedureKind,
    householdId: string,
    reason: string,
    data: Record<string, unknown>,
    year: number,
  ) {
    const prepared = { ...data };
    if (kind === 'member_change') await this.memberChanges.prepare(actor, prepared);
    return this.startBySystem(kind, householdId, reason, prepared, actor, year);
  }

  /**
   * Opens a case in the caller's transaction: one open case per subject and kind (the open one is
   * returned instead), the preconditions, its workflow id, the row, its audit entry and its event.
   */
  private async openCase(
    tx: Tx,
    o: {
      kind: ProcedureKind;
      year: number;
      household: Household | null;
      region: Region;
      reason: string;
      data: Record<string, unknown>;
      actor: Pick<Actor, 'id' | 'role'>;
      bySystem: boolean;
    },
  ): Promise<{ opened: Case } | { open: Case }> {
    const subject = o.household?.id ?? o.region.code;
    const openKey = `${o.kind}/${subject}`;
    const open = await this.store.findOpen(openKey, tx);
    if (open) return { open };
    const obstacles = [
      // An officer's case is for this year (last year's only in the policy's late window); the system opens cases for the year it is given.
      ...(o.bySystem ? [] : await this.preconditions.yearObstacles(o.kind, o.year, o.household)),
      ...(await this.preconditions.obstacles(tx, {
        kind: o.kind,
        year: o.year,
        household: o.household,
        region: o.region,
        data: o.data,
      })),
    ];
    if (obstacles.length > 0)
      throw conflict(CaseError.PreconditionsNotMet, `不符合发起条件: ${obstacles.join('; ')}`, { obstacles });
    const id = await this.store.newId(tx);
    // Closed cases of the kind this year count the attempts (a rejected household may be nominated again).
    const earlier = await this.store.attempts(tx, {
      kind: o.kind,
      year: o.year,
      householdId: o.household?.id ?? null,
      regionCode: o.region.code,
    });
    const workflowId =
      o.kind === 'follow_up'
        ? followUpWorkflowId(subject, id)
        : procedureWorkflowId(o.kind, subject, o.year, id, earlier + 1);
    const regionCode = o.region.code;
    const opened = await this.store.create(tx, {
      id,
      kind: o.kind,
      workflowId,
      householdId: o.household?.id ?? null,
      regionCode,
      townshipCode: ancestorCode(regionCode, 'TOWNSHIP'),
      countyCode: ancestorCode(regionCode, 'COUNTY'),
      year: o.year,
      reason: o.reason,
      data: o.data,
      openKey,
      openedBy: o.actor.id,
    });
    await this.journal.record(
      tx,
      o.actor,
      {
        action: 'case.opened',
        entity: 'case',
        entityId: id,
        householdId: opened.householdId,
        regionCode,
        caseId: id,
        after: { kind: o.kind, year: o.year, reason: o.reason, workflowId, ...(o.bySystem ? { by: 'system' } : {}) },
      },
      {
        subject: CaseSubjects.opened,
        data: { caseId: id, kind: o.kind, householdId: opened.householdId, regionCode, workflowId },
      },
    );
    return { opened };
  }
}
