import { HouseholdStatus, Role } from '@jingzhun/domain';

/** Chinese names of the procedures, their steps and states, as officers know them. */
export const KIND_LABELS: Record<string, string> = {
  identification: '识别纳入',
  exit: '脱贫退出',
  return: '返贫纳入',
  member_change: '成员变更',
  village_exit: '贫困村退出',
  monitoring_inclusion: '纳入监测',
  risk_elimination: '风险消除',
  follow_up: '回访',
  annual_adjustment: '年度动态调整',
};

export const STEP_LABELS: Record<string, string> = {
  started: '已发起',
  'village.appraisal': '村民主评议',
  'village.verification': '入户核实',
  'village.home_check': '入户核查',
  'village.notice': '村级公示',
  'village.notice.objection': '公示异议核实',
  'township.review': '乡镇审核',
  'township.notice': '乡镇公示',
  'township.notice.objection': '公示异议核实',
  'township.approval': '乡镇审批',
  'township.application': '乡镇申请',
  'township.data_comparison': '乡镇数据比对',
  'county.verification': '县级核查',
  'county.approval': '县级审批',
  announcement: '公告',
  announced: '已公告',
  revisit: '回访',
  waiting: '等待下次回访',
  finished: '已结束',
  'campaign.verification': '逐户核查',
  'campaign.deployment': '部署培训',
  'campaign.visits': '入户核查',
  'campaign.entry': '数据录入',
  'campaign.cleaning': '数据清洗',
  'campaign.audit': '县级审核',
  'campaign.feedback': '省级反馈整改',
  'campaign.summary': '工作总结',
  'county.audit': '县级审核',
};

export const stepLabel = (step: string) => STEP_LABELS[step] ?? (step.endsWith('.objection') ? '公示异议核实' : step);

/** The legal order of each procedure's steps (DESIGN.md), for the case page's Steps. */
export const PROCEDURE_STEPS: Record<string, string[]> = {
  identification: ['village.appraisal', 'village.verification', 'village.notice', 'township.review', 'township.notice', 'county.approval', 'announcement'],
  exit: ['village.appraisal', 'village.verification', 'village.notice', 'township.review', 'county.approval', 'announcement'],
  return: ['village.appraisal', 'village.verification', 'village.notice', 'township.review', 'township.notice', 'county.approval', 'announcement'],
  member_change: ['village.verification', 'township.approval', 'announcement'],
  village_exit: ['township.application', 'county.verification', 'township.notice', 'county.approval', 'announcement'],
  monitoring_inclusion: ['village.home_check', 'township.data_comparison', 'village.appraisal', 'village.notice', 'township.review', 'county.approval', 'announcement'],
  risk_elimination: ['village.home_check', 'village.appraisal', 'village.notice', 'county.approval', 'announcement'],
  follow_up: ['revisit'],
};

// Solid tags in dark shades: white text on them keeps 4.5:1 contrast (antd's light presets do not).
export const CASE_STATUS: Record<string, { label: string; color: string }> = {
  OPEN: { label: '办理中', color: '#0958d9' },
  COMPLETED: { label: '已办结', color: '#237804' },
  REJECTED: { label: '未通过', color: '#a8071a' },
  ENDED_BY_OBJECTION: { label: '异议成立终止', color: '#ad4e00' },
  REFUSED: { label: '条件不符终止', color: '#595959' },
  CANCELLED: { label: '已撤销', color: '#595959' },
};

export const DECISION_LABELS: Record<string, string> = { approve: '通过', reject: '不通过', return: '退回重办', cancelled: '已撤销' };

/** The registry's own labels (libs/domain); the console adds only colours. */
export const ROLE_LABELS: Record<string, string> = Role.labels;

const STATUS_COLOURS: Record<HouseholdStatus, string> = { APPLICANT: '#0958d9', POOR: '#a8071a', EXITED: '#237804', MONITORED: '#ad4e00', CLOSED: '#595959' };
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
