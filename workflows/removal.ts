import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import {
  countyApproval,
  decide,
  decideAfterNotice,
  townshipReview,
  villageNotice,
  villageVerification,
} from './steps/legal-steps';
import { rounds } from './steps/outcome';
import { Procedure } from './steps/procedure';

/**
 * 清退: a household registered or exited wrongly (错评, 错退, 不符合条件, 自愿退出, 死亡销户; given when
 * the case starts) → village verification (what was found) → village notice 7 d → township review →
 * county approval → announcement → out of the registry as REMOVED with its history (错退: back to
 * POOR); its follow-up ends with it.
 */
export async function removalProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  return rounds(p, async () => {
    await decide(p, villageVerification(p, '村级核实不属实, 不予清退'));
    await decideAfterNotice(p, villageNotice(p), townshipReview(p));
    await decide(p, countyApproval(p));
    return announce(p);
  });
}
