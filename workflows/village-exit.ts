import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { noticeThenSignOff } from './steps/notice';
import { route } from './steps/outcome';
import { Procedure } from './steps/procedure';
import { signOff } from './steps/sign-off';

/**
 * 贫困村退出: incidence below 2% (3% in the west) from live data and the conditions checklist
 * (checked when the case starts and again at announcement) → township application → county
 * verification → notice within the township 7 d → county approval → announcement.
 */
export async function villageExitProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  const { townshipCode, countyCode } = input;
  for (; ; p.state.round++) {
    const application = route(await signOff(p, { step: 'township.application', role: 'township', regionCode: townshipCode }));
    if (application === 'stop') return p.finish('REJECTED', '乡镇未提出申请');
    if (application === 'again') continue;

    const verification = route(await signOff(p, { step: 'county.verification', role: 'county', regionCode: countyCode }));
    if (verification === 'stop') return p.finish('REJECTED', '县级核查未通过');
    if (verification === 'again') continue;

    // 公示 within the township 7 days; the county approves after it.
    const afterNotice = await noticeThenSignOff(
      p,
      { step: 'township.notice', regionCode: townshipCode, days: p.policy.noticeDays, verifier: { role: 'county', regionCode: countyCode } },
      { step: 'county.approval', role: 'county', regionCode: countyCode },
    );
    if (afterNotice.heard === 'end') return p.finish('ENDED_BY_OBJECTION', '公示异议成立, 程序终止');
    if (afterNotice.heard === 'return') continue;
    const county = route(afterNotice.decision);
    if (county === 'stop') return p.finish('REJECTED', '县级审批未通过');
    if (county === 'again') continue;

    return announce(p);
  }
}
