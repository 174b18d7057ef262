import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import {
  countyApproval,
  countyVerification,
  decide,
  decideAfterNotice,
  townshipApplication,
  townshipNotice,
} from './steps/legal-steps';
import { rounds } from './steps/outcome';
import { Procedure } from './steps/procedure';

/**
 * 贫困村退出: incidence below 2% (3% in the west) from live data and the conditions checklist
 * (checked when the case starts and again at announcement) → township application → county
 * verification → notice within the township 7 d → county approval → announcement.
 */
export async function villageExitProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  return rounds(p, async () => {
    await decide(p, townshipApplication(p));
    await decide(p, countyVerification(p));
    await decideAfterNotice(p, townshipNotice(p), countyApproval(p));
    return announce(p);
  });
}
