import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import { decide, townshipApproval, villageVerification } from './steps/legal-steps';
import { rounds } from './steps/outcome';
import { Procedure } from './steps/procedure';

/**
 * 成员变更: add or remove a member with a reason (birth, death, marriage, split, migration,
 * correction; given when the case starts) → village verification → township approval →
 * registry update, with net income per head recomputed.
 */
export async function memberChangeProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  return rounds(p, async () => {
    await decide(p, villageVerification(p, '村级核实不属实'));
    await decide(p, townshipApproval(p));
    return announce(p);
  });
}
