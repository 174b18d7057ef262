import { patched } from '@temporalio/workflow';
import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import {
  countyApproval,
  decide,
  decideAfterNotice,
  townshipReview,
  villageAppraisal,
  villageNotice,
  villageVerification,
} from './steps/legal-steps';
import { Rejected, rounds } from './steps/outcome';
import { Procedure, registry } from './steps/procedure';
import { householdAgreement } from './steps/requirements';

/**
 * 脱贫退出: a POOR household meeting the year's criteria (checked when the case starts and again
 * at announcement) → village appraisal → verification visit + the household's agreement →
 * village notice 7 d → township review → county approval → announcement → EXITED, and its follow-up starts.
 */
export async function exitProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  return rounds(p, async () => {
    await decide(p, villageAppraisal(p));
    const visit = await decide(p, {
      ...villageVerification(p, '入户核实不符合退出条件'),
      requires: householdAgreement,
    });
    if (visit.data?.householdAgrees !== true) throw new Rejected('农户未签字认可退出');
    await decideAfterNotice(p, villageNotice(p), townshipReview(p));
    await decide(p, countyApproval(p));
    // 过渡期 follow-up (5 years of revisits) starts with the announcement; cases already past it do not.
    const startsFollowUp = patched('exit-starts-follow-up');
    return announce(p, async () => {
      if (startsFollowUp)
        await registry.openSystemCase({
          kind: 'follow_up',
          householdId: input.householdId!,
          reason: '脱贫退出, 过渡期回访',
          data: { basis: 'exited' },
        });
    });
  });
}
