import { HouseholdStatus, PROCEDURES, Role, STEPS, stepLabel as catalogueStepLabel } from '@jingzhun/domain';

/** Chinese names of the procedures and their steps: the procedure catalogue's (libs/domain), never re-listed here. */
export const KIND_LABELS: Record<string, string> = Object.fromEntries(
  Object.values(PROCEDURES).map((p) => [p.kind, p.label]),
);

const CAMPAIGN_PHASE_LABELS: Record<string, string> = {
  'campaign.deployment': '部署培训',
  'campaign.visits': '入户核查',
  'campaign.entry': '数据录入',
  'campaign.cleaning': '数据清洗',
  'campaign.audit': '县级审核',
  'campaign.feedback': '省级反馈整改',
  'campaign.summary': '工作总结',
};

/** A step's label from the catalogue; a campaign's phases are the campaign's. */
export const stepLabel = (step: string) => CAMPAIGN_PHASE_LABELS[step] ?? catalogueStepLabel(step);

/** Every step the inbox can filter by, with its label. */
export const STEP_LABELS: Record<string, string> = Object.fromEntries(
  Object.keys(STEPS).map((id) => [id, stepLabel(id)]),
);

/** The legal order of each procedure's steps, for the case page's Steps. */
export const PROCEDURE_STEPS: Record<string, string[]> = Object.fromEntries(
  Object.values(PROCEDURES).map((p) => [p.kind, p.steps.map((x) => x.step)]),
);

// Solid tags in dark shades: white text on them keeps 4.5:1 contrast (antd's light presets do not).
export const CASE_STATUS: Record<string, { label: string; color: string }> = {
  OPEN: { label: '办理中', color: '#0958d9' },
  COMPLETED: { label: '已办结', color: '#237804' },
  REJECTED: { label: '未通过', color: '#a8071a' },
  ENDED_BY_OBJECTION: { label: '异议成立终止', color: '#ad4e00' },
  REFUSED: { label: '条件不符终止', color: '#595959' },
  CANCELLED: { label: '已撤销', color: '#595959' },
};

export const DECISION_LABELS: Record<string, string> = {
  approve: '通过',
  reject: '不通过',
  return: '退回重办',
  cancelled: '已撤销',
};

/** The registry's own labels (libs/domain); the console adds only colours. */
export const ROLE_LABELS: Record<string, string> = Role.labels;

const STATUS_COLOURS: Record<HouseholdStatus, string> = {
  APPLICANT: '#0958d9',
  POOR: '#a8071a',
  EXITED: '#237804',
  MONITORED: '#ad4e00',
  CLOSED: '#595959',
  REMOVED: '#434343',
};
export const HOUSEHOLD_STATUS: Record<string, { label: string; color: string }> = Object.fromEntries(
  HouseholdStatus.codes.map((c) => [c, { label: HouseholdStatus.labels[c], color: STATUS_COLOURS[c] }]),
);

export const ALERT_STATUS: Record<string, string> = {
  RECEIVED: '已接收',
  MATCHED: '待研判',
  UNMATCHED: '未匹配(待县级研判)',
  VILLAGE: '已转村核实',
  CONFIRMED: '已纳入监测程序',
  DISMISSED: '已排除',
};

/** 数据清洗 problem items: owed by the township (OPEN, REJECTED), with the county (EXPLAINED), closed (FIXED, ACCEPTED). */
export const PROBLEM_STATUS: Record<string, { label: string; color: string }> = {
  OPEN: { label: '待整改', color: '#ad4e00' },
  REJECTED: { label: '说明未通过', color: '#a8071a' },
  EXPLAINED: { label: '待县级审核', color: '#0958d9' },
  FIXED: { label: '已整改', color: '#237804' },
  ACCEPTED: { label: '说明已接受', color: '#237804' },
};
