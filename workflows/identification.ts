import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { postNotice } from './steps/notice';
import { route } from './steps/outcome';
import { Procedure } from './steps/procedure';
import { openSignOff, signOff } from './steps/sign-off';

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

    // 村级公示; the township review is visible now and can be decided after it.
    const villageNotice = await postNotice(p, { step: 'village.notice', regionCode: p.villageCode, days: p.policy.noticeDays, verifier: { role: 'township', regionCode: townshipCode } });
    const review = await openSignOff(p, { step: 'township.review', role: 'township', regionCode: townshipCode, availableAt: villageNotice.endsAt, blockedBy: () => villageNotice.blockedReason() });
    const heard = await villageNotice.settled();
    if (heard !== 'continue') {
      await review.cancel();
      if (heard === 'end') return p.finish('ENDED_BY_OBJECTION', '村级公示异议成立, 程序终止');
      continue;
    }
    await p.enterStep('township.review', review.dueAt);
    const township = route(await review.decision());
    if (township === 'stop') return p.finish('REJECTED', '乡镇审核未通过');
    if (township === 'again') continue;

    // 第二次公示 in the township; the county verifies objections, then approves.
    const secondNotice = await postNotice(p, { step: 'township.notice', regionCode: townshipCode, days: p.policy.noticeDays, verifier: { role: 'county', regionCode: countyCode } });
    const approval = await openSignOff(p, { step: 'county.approval', role: 'county', regionCode: countyCode, availableAt: secondNotice.endsAt, blockedBy: () => secondNotice.blockedReason() });
    const heard2 = await secondNotice.settled();
    if (heard2 !== 'continue') {
      await approval.cancel();
      if (heard2 === 'end') return p.finish('ENDED_BY_OBJECTION', '乡镇公示异议成立, 程序终止');
      continue;
    }
    await p.enterStep('county.approval', approval.dueAt);
    const county = route(await approval.decision());
    if (county === 'stop') return p.finish('REJECTED', '县级审批未通过');
    if (county === 'again') continue;

    return announce(p);
  }
}

/** 返贫: an EXITED household below the standard goes through identification's steps. */
export async function returnProcedure(input: ProcedureInput): Promise<CaseState> {
  return identificationProcedure(input);
}
