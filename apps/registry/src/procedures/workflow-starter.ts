import { Injectable } from '@nestjs/common';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { regionLevelOf } from '@jingzhun/domain';
import {
  PROCEDURE_WORKFLOW,
  SearchKeys,
  stopFollowUpSignal,
  TaskQueues,
  type Actor,
  type FollowUpInput,
  type ProcedureInput,
  type ProcedureKind,
} from '@jingzhun/contracts';
import { TemporalClientService } from '@jingzhun/platform';
import type { Case } from '../generated/prisma/client';
import { RegionStore } from '../regions/region.store';
import { PolicyService } from './policy.service';

/** How a follow-up starts when the registry starts many at once (FollowUpCoverage). */
export interface FollowUpStart {
  /** The first revisit's due date (spread over the cadence, so a village's visits do not all fall on one day). */
  firstDueAt: Date;
  /** The workflow's first task waits this long (Temporal start delay): thousands of starts cost the worker nothing now. */
  startDelayMs: number;
  villageName?: string;
}

/** A case's workflow: its input, memo and search attributes, started on the processes queue. */
@Injectable()
export class WorkflowStarter {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly regions: RegionStore,
    private readonly policy: PolicyService,
  ) {}

  async start(
    c: Case,
    householdNumber: string | null,
    actor: Pick<Actor, 'id' | 'role' | 'regionCode'>,
    followUp?: FollowUpStart,
  ): Promise<void> {
    const client = await this.temporal.client();
    const input =
      c.kind === 'follow_up'
        ? followUpInput(c, householdNumber, followUp?.firstDueAt)
        : await this.procedureInput(c, householdNumber, actor);
    await client.workflow.start(PROCEDURE_WORKFLOW[c.kind as ProcedureKind], {
      taskQueue: TaskQueues.processes,
      workflowId: c.workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      args: [input],
      ...(followUp && followUp.startDelayMs > 0 ? { startDelay: followUp.startDelayMs } : {}),
      memo: {
        caseId: c.id,
        householdNumber,
        villageName: followUp?.villageName ?? (await this.regions.name(c.regionCode)),
      },
      typedSearchAttributes: [
        { key: SearchKeys.ProcessKind, value: c.kind },
        { key: SearchKeys.ProcessStep, value: 'started' },
        // A county's campaign has no village or township of its own.
        ...(c.kind === 'annual_adjustment'
          ? []
          : [
              { key: SearchKeys.VillageCode, value: c.regionCode },
              { key: SearchKeys.TownshipCode, value: c.townshipCode },
            ]),
        { key: SearchKeys.CountyCode, value: c.countyCode },
        { key: SearchKeys.Overdue, value: false },
        { key: SearchKeys.Late, value: false },
        ...(c.householdId ? [{ key: SearchKeys.HouseholdId, value: c.householdId }] : []),
        ...(householdNumber ? [{ key: SearchKeys.HouseholdNumber, value: householdNumber }] : []),
      ],
    });
  }

  /**
   * Ends a follow-up whose household no longer needs one. Signal-with-start: a plain signal would
   * wait out a start delay (Temporal ignores it until then), this one wakes the workflow now; the
   * workflow closes its open revisit task and finishes the case.
   */
  async stopFollowUp(c: Case, householdNumber: string | null, reason: string): Promise<void> {
    const client = await this.temporal.client();
    await client.workflow.signalWithStart(PROCEDURE_WORKFLOW.follow_up, {
      taskQueue: TaskQueues.processes,
      workflowId: c.workflowId,
      args: [followUpInput(c, householdNumber)],
      signal: stopFollowUpSignal,
      signalArgs: [{ reason }],
    });
  }

  private async procedureInput(
    c: Case,
    householdNumber: string | null,
    actor: Pick<Actor, 'id' | 'role' | 'regionCode'>,
  ): Promise<ProcedureInput> {
    const { idSealed: _sealed, ...safeData } = ((c.data as Record<string, unknown>).member ?? {}) as Record<
      string,
      unknown
    >;
    const data = { ...(c.data as Record<string, unknown>) };
    // The workflow never carries an ID number, not even sealed: Temporal's history is not the vault.
    if (data.member) data.member = safeData;
    return {
      caseId: c.id,
      kind: c.kind as ProcedureKind,
      workflowId: c.workflowId,
      householdId: c.householdId,
      householdNumber,
      regionCode: c.regionCode,
      villageCode: regionLevelOf(c.regionCode) === 'VILLAGE' ? c.regionCode : null,
      townshipCode: c.townshipCode,
      countyCode: c.countyCode,
      year: c.year,
      reason: c.reason,
      data,
      openedBy: { id: actor.id, role: actor.role, regionCode: actor.regionCode },
      // The policy in force at opening travels with the case: the workflow's first step needs no activity for it.
      policy: await this.policy.procedurePolicy(c.kind as ProcedureKind, c.regionCode, new Date()),
    };
  }
}

function followUpInput(c: Case, householdNumber: string | null, firstDueAt?: Date): FollowUpInput {
  return {
    caseId: c.id,
    workflowId: c.workflowId,
    householdId: c.householdId!,
    householdNumber,
    villageCode: c.regionCode,
    townshipCode: c.townshipCode,
    countyCode: c.countyCode,
    cycle: 1,
    ...(firstDueAt ? { nextDueAt: firstDueAt.toISOString() } : {}),
    overdueCount: 0,
    visits: 0,
  };
}
