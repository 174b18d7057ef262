/**
 * Every step of every procedure, once (DESIGN.md "The law in one place"): its id, the level that
 * decides it, its Chinese label, who may decide it, and which record it carries. Plain data without
 * zod: the workflows import it; the record schemas themselves are in `records.ts` (API and activities).
 *
 * Step ids never change: they are in every committed workflow history and in the registry's rows.
 */
export type Level = 'village' | 'township' | 'county';
export type StepNature = 'sign_off' | 'notice' | 'objection' | 'announcement' | 'revisit' | 'assignment';

/** The records a step's decision carries; each has a zod schema in records.ts. */
export type RecordName =
  | 'opinion'
  | 'appraisal'
  | 'verification'
  | 'exit_verification'
  | 'member_verification'
  | 'removal_verification'
  | 'home_check'
  | 'monitoring_home_check'
  | 'data_comparison'
  | 'monitoring_approval'
  | 'objection_verification'
  | 'revisit';

export interface StepDef {
  id: string;
  nature: StepNature;
  /** The level whose step it is; escalation never moves the decision to another level (督办). */
  level: Level;
  label: string;
  /** Roles that may decide it (a revisit: the household's helper or the village). */
  deciders: readonly string[];
  /** The record an approval carries unless the procedure names another. */
  record: RecordName;
}

const step = (
  id: string,
  nature: StepNature,
  level: Level,
  label: string,
  record: RecordName = 'opinion',
  deciders: readonly string[] = [level],
): StepDef => ({ id, nature, level, label, deciders, record });

export const STEPS = {
  'village.appraisal': step('village.appraisal', 'sign_off', 'village', '村民主评议', 'appraisal'),
  'village.verification': step('village.verification', 'sign_off', 'village', '入户核实', 'verification'),
  'village.home_check': step('village.home_check', 'sign_off', 'village', '入户核查', 'home_check'),
  'village.notice': step('village.notice', 'notice', 'village', '村级公示'),
  // An objection to the village's notice is verified by the township (the level above the notice).
  'village.notice.objection': step(
    'village.notice.objection',
    'objection',
    'township',
    '村级公示异议核实',
    'objection_verification',
  ),
  'township.application': step('township.application', 'sign_off', 'township', '乡镇申请'),
  'township.data_comparison': step(
    'township.data_comparison',
    'sign_off',
    'township',
    '乡镇数据比对',
    'data_comparison',
  ),
  'township.review': step('township.review', 'sign_off', 'township', '乡镇审核'),
  'township.approval': step('township.approval', 'sign_off', 'township', '乡镇审批'),
  'township.notice': step('township.notice', 'notice', 'township', '乡镇公示'),
  'township.notice.objection': step(
    'township.notice.objection',
    'objection',
    'county',
    '乡镇公示异议核实',
    'objection_verification',
  ),
  'county.verification': step('county.verification', 'sign_off', 'county', '县级核查'),
  'county.approval': step('county.approval', 'sign_off', 'county', '县级审批'),
  'county.audit': step('county.audit', 'sign_off', 'county', '县级审核'),
  announcement: step('announcement', 'announcement', 'county', '公告'),
  revisit: step('revisit', 'revisit', 'village', '回访', 'revisit', ['helper', 'village']),
  // Identification announced in a village with no helper: the village owes the household one (closed by PUT /households/:id/helper).
  'village.assign_helper': step('village.assign_helper', 'assignment', 'village', '指派帮扶责任人', 'opinion', [
    'village',
    'township',
    'county',
  ]),
  'campaign.verification': step('campaign.verification', 'revisit', 'village', '逐户核查', 'opinion', [
    'helper',
    'village',
  ]),
} as const satisfies Record<string, StepDef>;

export type StepId = keyof typeof STEPS;

/** Case states that are not steps of the law but show where a case stands. */
export const CASE_STAGE_LABELS: Record<string, string> = {
  started: '已发起',
  announced: '已公告',
  waiting: '等待下次回访',
  finished: '已结束',
};

export function stepDef(id: string): StepDef | undefined {
  return (STEPS as Record<string, StepDef>)[id];
}

/** The Chinese label of a step or a case stage; an unknown id is shown as it is. */
export function stepLabel(id: string): string {
  return stepDef(id)?.label ?? CASE_STAGE_LABELS[id] ?? id;
}
