import { STEPS, type RecordName, type StepId } from './steps';

/**
 * Every procedure once (DESIGN.md "Procedures"): its label, who may start it, its steps in legal
 * order with the record each carries, and where the engine checks its eligibility. Plain data: the
 * workflows, the API, the notifications and the console read it; nothing re-lists a step elsewhere.
 */
export type ProcedureName =
  | 'identification'
  | 'exit'
  | 'return'
  | 'member_change'
  | 'village_exit'
  | 'monitoring_inclusion'
  | 'risk_elimination'
  | 'removal'
  | 'follow_up'
  | 'annual_adjustment';

export interface CatalogueStep {
  step: StepId;
  /** The record this procedure's step carries (the step's own when absent). */
  record?: RecordName;
}

export interface ProcedureDef {
  kind: ProcedureName;
  label: string;
  /** Roles that may open it through `POST /cases`; empty: only the system starts it. */
  starters: readonly string[];
  /** In the order the law gives them; none may be skipped (规范流程, 不能程序颠倒、环节缺失). */
  steps: readonly CatalogueStep[];
  /** The step whose approval is checked against the eligibility rules with the facts it recorded. */
  verifiedAt: StepId | null;
  /**
   * 纳入监测: the share of the decision clock (policy `monitoringDecisionDays`, 15 days from the first
   * clue: RULES.md row 4) by which each sign-off must be decided, so that the steps fit the clock.
   */
  clockShares?: Partial<Record<StepId, number>>;
}

const s = (step: StepId, record?: RecordName): CatalogueStep => (record ? { step, record } : { step });
const OFFICERS = ['village', 'township', 'county'] as const;

// RULES.md row 1: 两公示一公告 — appraisal, verification, village notice, township review, second notice, county approval, announcement.
const IDENTIFICATION_STEPS = [
  s('village.appraisal'),
  s('village.verification'),
  s('village.notice'),
  s('township.review'),
  s('township.notice'),
  s('county.approval'),
  s('announcement'),
];

export const PROCEDURES: Record<ProcedureName, ProcedureDef> = {
  identification: {
    kind: 'identification',
    label: '识别纳入',
    starters: OFFICERS,
    steps: IDENTIFICATION_STEPS,
    verifiedAt: 'village.verification',
  },
  // RULES.md row 6: returns go through the normal identification procedure.
  return: {
    kind: 'return',
    label: '返贫纳入',
    starters: OFFICERS,
    steps: IDENTIFICATION_STEPS,
    verifiedAt: 'village.verification',
  },
  // RULES.md row 2: appraisal → verification + the household's agreement → notice ≥ 7 d → township → county → announcement.
  exit: {
    kind: 'exit',
    label: '脱贫退出',
    starters: OFFICERS,
    steps: [
      s('village.appraisal'),
      s('village.verification', 'exit_verification'),
      s('village.notice'),
      s('township.review'),
      s('county.approval'),
      s('announcement'),
    ],
    verifiedAt: 'village.verification',
  },
  // RULES.md row 7: member changes are verified by the village and approved by the township.
  member_change: {
    kind: 'member_change',
    label: '成员变更',
    starters: OFFICERS,
    steps: [s('village.verification', 'member_verification'), s('township.approval'), s('announcement')],
    verifiedAt: null,
  },
  // RULES.md row 3: notice within the township, then announcement.
  village_exit: {
    kind: 'village_exit',
    label: '贫困村退出',
    starters: ['township', 'county'],
    steps: [
      s('township.application'),
      s('county.verification'),
      s('township.notice'),
      s('county.approval'),
      s('announcement'),
    ],
    verifiedAt: null,
  },
  // RULES.md row 4: home check + signed authorisation → data comparison → appraisal + notice ≥ 5 d → township → county → announcement.
  monitoring_inclusion: {
    kind: 'monitoring_inclusion',
    label: '纳入监测',
    starters: OFFICERS,
    steps: [
      s('village.home_check', 'monitoring_home_check'),
      s('township.data_comparison'),
      s('village.appraisal'),
      s('village.notice'),
      s('township.review'),
      s('county.approval', 'monitoring_approval'),
      s('announcement'),
    ],
    verifiedAt: 'county.approval',
    clockShares: {
      'village.home_check': 2 / 15,
      'township.data_comparison': 3 / 15,
      'village.appraisal': 5 / 15,
      'township.review': 13 / 15,
      'county.approval': 1,
    },
  },
  // RULES.md row 5: home check → appraisal + notice → county approval → announcement.
  // 清退 (DESIGN.md "The registry's life cycle"): a household registered or exited wrongly leaves the registry
  // by the same public procedure as it entered it: village verification → village notice 7 d → township review → county approval → announcement.
  removal: {
    kind: 'removal',
    label: '清退',
    starters: OFFICERS,
    steps: [
      s('village.verification', 'removal_verification'),
      s('village.notice'),
      s('township.review'),
      s('county.approval'),
      s('announcement'),
    ],
    verifiedAt: null,
  },
  risk_elimination: {
    kind: 'risk_elimination',
    label: '风险消除',
    starters: OFFICERS,
    steps: [
      s('village.home_check'),
      s('village.appraisal'),
      s('village.notice'),
      s('county.approval'),
      s('announcement'),
    ],
    verifiedAt: null,
  },
  follow_up: { kind: 'follow_up', label: '回访', starters: [], steps: [s('revisit')], verifiedAt: null },
  annual_adjustment: { kind: 'annual_adjustment', label: '年度动态调整', starters: [], steps: [], verifiedAt: null },
};

/** The procedure's step ids in legal order. */
export function stepsOf(kind: string): StepId[] {
  return (PROCEDURES as Record<string, ProcedureDef>)[kind]?.steps.map((x) => x.step) ?? [];
}

/** The record a decision at this step of this procedure carries; an objection's verification has its own. */
export function recordOf(kind: string, step: string): RecordName {
  if (step.endsWith('.objection')) return 'objection_verification';
  const own = (PROCEDURES as Record<string, ProcedureDef>)[kind]?.steps.find((x) => x.step === step);
  return own?.record ?? (STEPS as Record<string, { record: RecordName }>)[step]?.record ?? 'opinion';
}

export function procedureLabel(kind: string): string {
  return (PROCEDURES as Record<string, ProcedureDef>)[kind]?.label ?? kind;
}
