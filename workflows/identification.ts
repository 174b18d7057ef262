import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { noticeThenSignOff } from './steps/notice';
import { route } from './steps/outcome';
import { Procedure } from './steps/procedure';
import { signOff } from './steps/sign-off';

/**
 * 识别纳入 (and, with kind `return`, 返贫): application with the household's consent (checked when
 * the case starts) → village appraisal → verification visit → village notice 7 d → township
 * review → second notice → county approval → announcement → POOR, helper assigned.
 */
export async function identificationProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  const { townshipCode, countyCode } = input;
  for (; ; p.state.round++) {
    // 民主评议: date, attendance and votes go in the decision's data.
    const appraisal = route(await signOff(p, { step: 'village.appraisal', role: 'village', regionCode: p.villageCode }));
    if (appraisal === 'stop') return p.finish('REJECTED', '民主评议未通过');
    if (appraisal === 'again') continue;

    // 入户核实: income and basic-needs assessment.
    const visit = route(await signOff(p, { step: 'village.verification', role: 'village', regionCode: p.villageCode }));
    if (visit === 'stop') return p.finish('REJECTED', '入户核实不符合条件');
    if (visit === 'again') continue;

    // 村级公示 7 days; the township review can be decided only after it.
    const afterVillageNotice = await noticeThenSignOff(
      p,
      { step: 'village.notice', regionCode: p.villageCode, days: p.policy.noticeDays, verifier: { role: 'township', regionCode: townshipCode } },
      { step: 'township.review', role: 'township', regionCode: townshipCode },
    );
    if (afterVillageNotice.heard === 'end') return p.finish('ENDED_BY_OBJECTION', '村级公示异议成立, 程序终止');
    if (afterVillageNotice.heard === 'return') continue;
    const township = route(afterVillageNotice.decision);
    if (township === 'stop') return p.finish('REJECTED', '乡镇审核未通过');
    if (township === 'again') continue;

    // 第二次公示 in the township; the county verifies objections, then approves.
    const afterSecondNotice = await noticeThenSignOff(
      p,
      { step: 'township.notice', regionCode: townshipCode, days: p.policy.noticeDays, verifier: { role: 'county', regionCode: countyCode } },
      { step: 'county.approval', role: 'county', regionCode: countyCode },
    );
    if (afterSecondNotice.heard === 'end') return p.finish('ENDED_BY_OBJECTION', '乡镇公示异议成立, 程序终止');
    if (afterSecondNotice.heard === 'return') continue;
    const county = route(afterSecondNotice.decision);
    if (county === 'stop') return p.finish('REJECTED', '县级审批未通过');
    if (county === 'again') continue;

    return announce(p);
  }
}

/** 返贫: an EXITED household below the standard goes through identification's steps. */
export async function returnProcedure(input: ProcedureInput): Promise<CaseState> {
  return identificationProcedure(input);
}
