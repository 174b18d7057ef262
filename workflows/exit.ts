import { patched } from '@temporalio/workflow';
import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { noticeThenSignOff } from './steps/notice';
import { route } from './steps/outcome';
import { Procedure, registry } from './steps/procedure';
import { householdAgreement } from './steps/requirements';
import { signOff } from './steps/sign-off';

/**
 * 脱贫退出: a POOR household meeting the year's criteria (checked when the case starts and again
 * at announcement) → village appraisal → verification visit + the household's agreement →
 * village notice 7 d → township review → county approval → announcement → EXITED, and its follow-up starts.
 */
export async function exitProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  const { townshipCode, countyCode } = input;
  for (; ; p.state.round++) {
    const appraisal = route(await signOff(p, { step: 'village.appraisal', role: 'village', regionCode: p.villageCode }));
    if (appraisal === 'stop') return p.finish('REJECTED', '民主评议未通过');
    if (appraisal === 'again') continue;

    // 入户核实 with the household's signed agreement (data.householdAgrees).
    const visit = await signOff(p, { step: 'village.verification', role: 'village', regionCode: p.villageCode, requires: householdAgreement });
    if (route(visit) === 'stop') return p.finish('REJECTED', '入户核实不符合退出条件');
    if (route(visit) === 'again') continue;
    if (visit.data?.householdAgrees !== true) return p.finish('REJECTED', '农户未签字认可退出');

    // 村级公示 7 days; the township review can be decided only after it.
    const afterNotice = await noticeThenSignOff(
      p,
      { step: 'village.notice', regionCode: p.villageCode, days: p.policy.noticeDays, verifier: { role: 'township', regionCode: townshipCode } },
      { step: 'township.review', role: 'township', regionCode: townshipCode },
    );
    if (afterNotice.heard === 'end') return p.finish('ENDED_BY_OBJECTION', '公示异议成立, 程序终止');
    if (afterNotice.heard === 'return') continue;
    const township = route(afterNotice.decision);
    if (township === 'stop') return p.finish('REJECTED', '乡镇审核未通过');
    if (township === 'again') continue;

    const county = route(await signOff(p, { step: 'county.approval', role: 'county', regionCode: countyCode }));
    if (county === 'stop') return p.finish('REJECTED', '县级审批未通过');
    if (county === 'again') continue;

    // 过渡期 follow-up (5 years of revisits) starts with the announcement; cases already past it do not.
    const startsFollowUp = patched('exit-starts-follow-up');
    return announce(p, async () => {
      if (startsFollowUp) await registry.openSystemCase({ kind: 'follow_up', householdId: input.householdId!, reason: '脱贫退出, 过渡期回访', data: { basis: 'exited' } });
    });
  }
}
