import type { DecideInput } from '@jingzhun/contracts/src/workflow';

/** What an approval at a step needs in its data; checked by the decide validator (a 400 naming the field). */
export type Requirement = (d: DecideInput) => { field: string; message: string } | null;

/** 脱贫退出's verification: the household signs that it agrees to exit. */
export const householdAgreement: Requirement = (d) =>
  d.decision === 'approve' && d.data?.householdAgrees !== true
    ? { field: 'data.householdAgrees', message: '退出须有农户签字认可 (householdAgrees: true)' }
    : null;

/** 纳入监测's home check: the household's signed authorisation to compare its data. */
export const signedAuthorisation: Requirement = (d) =>
  d.decision === 'approve' && d.data?.authorisationSigned !== true
    ? { field: 'data.authorisationSigned', message: '纳入监测须有农户签署的信息核对授权书 (authorisationSigned: true)' }
    : null;
