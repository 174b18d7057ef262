import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { noticeThenSignOff } from './steps/notice';
import { route } from './steps/outcome';
import { Procedure } from './steps/procedure';
import { signOff } from './steps/sign-off';

/**
 * 风险消除: monitored ≥ 6 months, income above the monitoring line ≥ 6 months, basic needs and
 * water secure, no new risk, not a household without labour capacity (checked at start and again
 * at announcement) → home check → village appraisal → village notice 7 d → county approval →
 * announcement → marked eliminated (the monitoring record is kept).
 */
export async function riskEliminationProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  const { townshipCode, countyCode } = input;
  for (; ; p.state.round++) {
    const home = route(await signOff(p, { step: 'village.home_check', role: 'village', regionCode: p.villageCode }));
    if (home === 'stop') return p.finish('REJECTED', '入户核实风险尚未消除');
    if (home === 'again') continue;

    const appraisal = route(await signOff(p, { step: 'village.appraisal', role: 'village', regionCode: p.villageCode }));
    if (appraisal === 'stop') return p.finish('REJECTED', '民主评议未通过');
    if (appraisal === 'again') continue;

    const afterNotice = await noticeThenSignOff(
      p,
      { step: 'village.notice', regionCode: p.villageCode, days: p.policy.noticeDays, verifier: { role: 'township', regionCode: townshipCode } },
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
