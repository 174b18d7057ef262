import { Injectable } from '@nestjs/common';
import { cstDate, PROCEDURES, visitFindingsSchema } from '@jingzhun/domain';
import type { CloseTaskInput, ProcedureKind } from '@jingzhun/contracts';
import type { AuthUser } from '@jingzhun/platform';
import type { Case, Task } from '../generated/prisma/client';
import { HouseholdRecordsService } from '../households/household-records.service';
import { HouseholdStore } from '../households/household.store';
import type { Tx } from '../prisma/prisma.service';

/**
 * The verification visit's findings become the household's assessment of the year when the visit is
 * approved, in the same transaction that closes its task: the online record equals the paper form
 * (线上数据完整准确), and the announcement re-checks the eligibility on what the visit found.
 */
@Injectable()
export class VerificationFindings {
  constructor(
    private readonly records: HouseholdRecordsService,
    private readonly store: HouseholdStore,
  ) {}

  async record(tx: Tx, task: Task & { case: Case }, close: CloseTaskInput): Promise<void> {
    const c = task.case;
    const def = PROCEDURES[c.kind as ProcedureKind];
    if (
      close.decision !== 'approve' ||
      !close.actor ||
      !c.householdId ||
      !def ||
      def.verifiedAt !== task.step ||
      c.kind === 'monitoring_inclusion'
    )
      return;
    const findings = visitFindingsSchema.safeParse(close.data.assessment);
    if (!findings.success) return;
    const household = await this.store.findOrThrow(c.householdId, tx);
    await this.records.assessmentIn(tx, { id: close.actor.id, role: close.actor.role as AuthUser['role'] }, household, {
      ...findings.data,
      year: c.year,
      assessedOn: cstDate(),
      note: `入户核实 (${def.label}案件 ${c.id})`,
    });
  }
}
