import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import {
  countyApproval,
  decide,
  decideAfterNotice,
  villageAppraisal,
  villageHomeCheck,
  villageNotice,
} from './steps/legal-steps';
import { rounds } from './steps/outcome';
import { Procedure } from './steps/procedure';

/**
 * 风险消除: monitored ≥ 6 months, income above the monitoring line ≥ 6 months, basic needs and
 * water secure, no new risk, not a household without labour capacity (checked at start and again
 * at announcement) → home check → village appraisal → village notice 7 d → county approval →
 * announcement → marked eliminated (the monitoring record is kept).
 */
export async function riskEliminationProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  return rounds(p, async () => {
    await decide(p, villageHomeCheck(p, '入户核实风险尚未消除'));
    await decide(p, villageAppraisal(p));
    await decideAfterNotice(p, villageNotice(p), countyApproval(p));
    return announce(p);
  });
}
