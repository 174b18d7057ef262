import type { DecideInput } from '@jingzhun/contracts';
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

// The shared steps, named once (DESIGN.md "Procedures"). A procedure with its own wording for a
// rejection passes it; the step itself stays the same.
export const villageAppraisal = (p: Procedure): StepSpec => ({ step: 'village.appraisal', role: 'village', regionCode: p.villageCode, rejected: '民主评议未通过' });
export const villageVerification = (p: Procedure, rejected: string): StepSpec => ({ step: 'village.verification', role: 'village', regionCode: p.villageCode, rejected });
export const villageHomeCheck = (p: Procedure, rejected: string): StepSpec => ({ step: 'village.home_check', role: 'village', regionCode: p.villageCode, rejected });
export const townshipDataComparison = (p: Procedure): StepSpec => ({ step: 'township.data_comparison', role: 'township', regionCode: p.input.townshipCode, rejected: '数据比对不符合纳入条件' });
export const townshipApplication = (p: Procedure): StepSpec => ({ step: 'township.application', role: 'township', regionCode: p.input.townshipCode, rejected: '乡镇未提出申请' });
export const townshipReview = (p: Procedure): StepSpec => ({ step: 'township.review', role: 'township', regionCode: p.input.townshipCode, rejected: '乡镇审核未通过' });
export const townshipApproval = (p: Procedure): StepSpec => ({ step: 'township.approval', role: 'township', regionCode: p.input.townshipCode, rejected: '乡镇未批准' });
export const countyVerification = (p: Procedure): StepSpec => ({ step: 'county.verification', role: 'county', regionCode: p.input.countyCode, rejected: '县级核查未通过' });
export const countyApproval = (p: Procedure): StepSpec => ({ step: 'county.approval', role: 'county', regionCode: p.input.countyCode, rejected: '县级审批未通过' });

/** 村级公示: posted in the village for the policy's days; the township verifies objections. */
export const villageNotice = (p: Procedure, ended = '公示异议成立, 程序终止'): NoticeStepSpec => ({
  step: 'village.notice',
  regionCode: p.villageCode,
  days: p.policy.noticeDays,
  verifier: { role: 'township', regionCode: p.input.townshipCode },
  ended,
});

/** 乡镇公示: posted in the township; the county verifies objections. */
export const townshipNotice = (p: Procedure, ended = '公示异议成立, 程序终止'): NoticeStepSpec => ({
  step: 'township.notice',
  regionCode: p.input.townshipCode,
  days: p.policy.noticeDays,
  verifier: { role: 'county', regionCode: p.input.countyCode },
  ended,
});

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
