import type { DecideInput } from '@jingzhun/contracts/src/workflow';
import { STEPS, type Level, type StepId } from '@jingzhun/domain/src/procedures/steps';
import { outcomeOf, EndedByObjection, Returned } from './outcome';
import type { Procedure } from './procedure';
import { noticeThenSignOff, type NoticeSpec } from './notice';
import { signOff, type SignOffSpec } from './sign-off';

/** A sign-off step of the legal table: who signs, where, and what a rejection means for the case. */
export interface StepSpec extends SignOffSpec {
  /** The case's outcome when this step rejects. */
  rejected: string;
}

/** A notice of the legal table: where it is posted, who verifies objections, and what an upheld one means. */
export interface NoticeStepSpec extends NoticeSpec {
  /** The case's outcome when an upheld objection ends it. */
  ended: string;
}

// The shared steps: their ids and levels are the procedure catalogue's (libs/domain/src/procedures),
// the one place that says which level decides each step. A procedure with its own wording for a
// rejection passes it; the step itself stays the same.
const signOffStep = (id: StepId, regionCode: string, rejected: string): StepSpec => ({
  step: id,
  role: STEPS[id].level,
  regionCode,
  rejected,
});
const regionOf = (p: Procedure, level: Level): string =>
  level === 'village' ? p.villageCode : level === 'township' ? p.input.townshipCode : p.input.countyCode;

export const villageAppraisal = (p: Procedure): StepSpec =>
  signOffStep('village.appraisal', p.villageCode, '民主评议未通过');
export const villageVerification = (p: Procedure, rejected: string): StepSpec =>
  signOffStep('village.verification', p.villageCode, rejected);
export const villageHomeCheck = (p: Procedure, rejected: string): StepSpec =>
  signOffStep('village.home_check', p.villageCode, rejected);
export const townshipDataComparison = (p: Procedure): StepSpec =>
  signOffStep('township.data_comparison', p.input.townshipCode, '数据比对不符合纳入条件');
export const townshipApplication = (p: Procedure): StepSpec =>
  signOffStep('township.application', p.input.townshipCode, '乡镇未提出申请');
export const townshipReview = (p: Procedure): StepSpec =>
  signOffStep('township.review', p.input.townshipCode, '乡镇审核未通过');
export const townshipApproval = (p: Procedure): StepSpec =>
  signOffStep('township.approval', p.input.townshipCode, '乡镇未批准');
export const countyVerification = (p: Procedure): StepSpec =>
  signOffStep('county.verification', p.input.countyCode, '县级核查未通过');
export const countyApproval = (p: Procedure): StepSpec =>
  signOffStep('county.approval', p.input.countyCode, '县级审批未通过');

/** 村级公示: posted in the village for the policy's days; the level the catalogue names (the township) verifies objections. */
export const villageNotice = (p: Procedure, ended = '公示异议成立, 程序终止'): NoticeStepSpec => {
  const level = STEPS['village.notice.objection'].level;
  return {
    step: 'village.notice',
    regionCode: p.villageCode,
    days: p.policy.noticeDays,
    verifier: { role: level, regionCode: regionOf(p, level) },
    ended,
  };
};

/** 乡镇公示: posted in the township; the county verifies objections. */
export const townshipNotice = (p: Procedure, ended = '公示异议成立, 程序终止'): NoticeStepSpec => {
  const level = STEPS['township.notice.objection'].level;
  return {
    step: 'township.notice',
    regionCode: p.input.townshipCode,
    days: p.policy.noticeDays,
    verifier: { role: level, regionCode: regionOf(p, level) },
    ended,
  };
};

/** The step's sign-off; an approval comes back, a rejection or a return is raised for `rounds`. */
export async function decide(p: Procedure, spec: StepSpec): Promise<DecideInput> {
  return outcomeOf(await signOff(p, spec), spec.rejected);
}

/** The notice, then the sign-off that may only follow it; an upheld objection is raised for `rounds`. */
export async function decideAfterNotice(p: Procedure, notice: NoticeStepSpec, next: StepSpec): Promise<DecideInput> {
  const after = await noticeThenSignOff(p, notice, next);
  if (after.verdict !== 'passed') throw after.verdict === 'ended' ? new EndedByObjection(notice.ended) : new Returned();
  return outcomeOf(after.decision, next.rejected);
}
