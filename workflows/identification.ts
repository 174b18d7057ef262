import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import {
  countyApproval,
  decide,
  decideAfterNotice,
  townshipNotice,
  townshipReview,
  villageAppraisal,
  villageNotice,
  villageVerification,
} from './steps/legal-steps';
import { rounds } from './steps/outcome';
import { Procedure } from './steps/procedure';

/**
 * 识别纳入 (and, with kind `return`, 返贫): application with the household's consent (checked when
 * the case starts) → village appraisal (date, attendance, votes) → verification visit (income and
 * basic needs) → village notice 7 d → township review → second notice in the township → county
 * approval → announcement → POOR, helper assigned.
 */
export async function identificationProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  return rounds(p, async () => {
    await decide(p, villageAppraisal(p));
    await decide(p, villageVerification(p, '入户核实不符合条件'));
    await decideAfterNotice(p, villageNotice(p, '村级公示异议成立, 程序终止'), townshipReview(p));
    await decideAfterNotice(p, townshipNotice(p, '乡镇公示异议成立, 程序终止'), countyApproval(p));
    return announce(p);
  });
}

/** 返贫: an EXITED household below the standard goes through identification's steps. */
export async function returnProcedure(input: ProcedureInput): Promise<CaseState> {
  return identificationProcedure(input);
}
