import { recordOf } from './catalogue';
import { stepDef, type RecordName } from './steps';

/**
 * What the law asks a level to check before it signs a step (DESIGN.md "Procedures"), read from the
 * catalogue: the drawer and the case page show these parts of the case's evidence, in this order,
 * beside the decision. Plain data: the registry and the console read it.
 */
export type EvidenceSection =
  /** The eligibility rules as a pass/fail list with the figures (identification, return, exit, ...). */
  | 'checks'
  /** The year's assessment: each income component, costs, members living at home, income per head against the line, each need. */
  | 'assessment'
  /** The changes a member-change case carries, with income per head before and after. */
  | 'member_changes'
  /** Each objection with its text, who raised it and its verification's finding. */
  | 'objections'
  /** The notices and their periods. */
  | 'notices'
  /** Every earlier decision with who, when, the note and the record it carried (appraisal votes, agreement, findings). */
  | 'decisions';

/** What the step's record asks the deciding level to establish, in Chinese (the duty shown above the form). */
const RECORD_DUTIES: Record<RecordName, string> = {
  opinion: '核对下级的评议、核实和公示结果及异议处理情况, 签署意见',
  appraisal: '召开民主评议会: 记录评议日期、参会人数和赞成、反对票数 (赞成须超过参会人数的半数)',
  verification: '入户核实: 逐项核实各项收入、生产经营性支出、常住人口和两不愁三保障及饮水安全',
  exit_verification: '入户核实退出条件: 收入超过当年贫困标准、两不愁三保障及饮水安全全部达标, 并由农户签字认可',
  member_verification: '入户核实成员变化: 核对离户、新增成员及户主变化的事实和证明材料',
  removal_verification: '核实清退事由: 写明核实情况 (为何错评、错退或不符合条件)',
  home_check: '入户核查: 核实风险是否消除、收入是否稳定',
  monitoring_home_check: '入户核查: 核实风险情况并由农户签署信息核对授权书',
  data_comparison: '部门数据比对: 核对车辆、房产、工商、财政供养等信息',
  monitoring_approval: '审批纳入监测: 确定监测类型和主要风险',
  objection_verification: '核实异议: 走访核对异议反映的情况, 写明核实情况和依据; 异议成立则终止程序',
  revisit: '回访: 记录收入、两不愁三保障及风险情况',
};

/** The duty of the level deciding this step of this procedure. */
export function stepDuty(kind: string, step: string): string {
  if (stepDef(step)?.nature === 'assignment') return '为新纳入的户指派本村帮扶责任人';
  return RECORD_DUTIES[recordOf(kind, step)];
}

const HOUSEHOLD_FACTS: EvidenceSection[] = ['checks', 'assessment'];

/**
 * The evidence to show at a step, most relevant first: an objection's verification starts with the
 * objection; a verification visit with the facts it is checking; a sign-off above the village with the
 * whole file (the eligibility checks, the visit's figures, the notice and its objections, every decision).
 */
export function evidenceSections(kind: string, step: string): EvidenceSection[] {
  // A village's exit is checked on the village's figures (its checks), a household's on its own facts.
  const own: EvidenceSection[] =
    kind === 'member_change'
      ? ['member_changes', 'assessment']
      : kind === 'village_exit'
        ? ['checks']
        : HOUSEHOLD_FACTS;
  if (step.endsWith('.objection')) return dedupe(['objections', 'notices', ...own, 'decisions']);
  if (kind === 'member_change') return dedupe([...own, 'checks', 'decisions']);
  return dedupe([...own, 'decisions', 'notices', 'objections']);
}

function dedupe(xs: EvidenceSection[]): EvidenceSection[] {
  return [...new Set(xs)];
}

/** Chinese titles of the evidence's parts. */
export const EVIDENCE_TITLES: Record<EvidenceSection, string> = {
  checks: '条件核对',
  assessment: '收入与两不愁三保障',
  member_changes: '成员变化',
  objections: '异议及核实',
  notices: '公示',
  decisions: '此前各级决定',
};

const NEED_NAMES: Record<string, string> = {
  food: '不愁吃',
  clothing: '不愁穿',
  education: '义务教育',
  medical: '基本医疗',
  housing: '住房安全',
  water: '饮水安全',
};
const INCOME_NAMES: Record<
  'wageIncome' | 'businessIncome' | 'propertyIncome' | 'transferIncome' | 'productionCosts',
  string
> = {
  wageIncome: '工资性收入',
  businessIncome: '生产经营性收入',
  propertyIncome: '财产性收入',
  transferIncome: '转移性收入',
  productionCosts: '生产经营性支出',
};
const MONITORING_TYPE_NAMES: Record<string, string> = {
  UNSTABLE_EXITED: '脱贫不稳定户',
  MARGINAL: '边缘易致贫户',
  SUDDEN_HARDSHIP: '突发严重困难户',
};

/** A decision record's fields the reviewer reads, labelled; anything else a record may carry is not shown. */
const RECORD_FIELDS: Record<string, { label: string; show?: (v: unknown) => string }> = {
  appraisalDate: { label: '评议日期' },
  attendance: { label: '参会人数', show: (v) => `${String(v)} 人` },
  votesFor: { label: '赞成票', show: (v) => `${String(v)} 票` },
  votesAgainst: { label: '反对票', show: (v) => `${String(v)} 票` },
  householdAgrees: { label: '农户签字认可', show: (v) => (v === true ? '已签字认可' : '未认可') },
  authorisationSigned: { label: '信息核对授权书', show: (v) => (v === true ? '已签署' : '未签署') },
  findings: { label: '核实情况' },
  finding: { label: '核实情况' },
  evidence: { label: '核实依据' },
  monitoringType: { label: '监测类型', show: (v) => MONITORING_TYPE_NAMES[String(v)] ?? String(v) },
  risk: { label: '主要风险' },
  assessment: {
    label: '核实的收入与保障',
    show: (v) => {
      const a = (v ?? {}) as Record<string, unknown>;
      const money = Object.entries(INCOME_NAMES)
        .filter(([k]) => typeof a[k] === 'number')
        .map(([k, name]) => `${name} ${String(a[k])} 元`);
      const unmet = Object.entries(NEED_NAMES)
        .filter(([k]) => a[k] === false)
        .map(([, name]) => name);
      return [...money, unmet.length > 0 ? `未保障: ${unmet.join('、')}` : '两不愁三保障及饮水安全均有保障'].join('; ');
    },
  },
};

/** A decision's record as label and value lines, in Chinese (an ID number is never a record field). */
export function recordLines(data: unknown): { label: string; value: string }[] {
  if (typeof data !== 'object' || data === null) return [];
  return Object.entries(RECORD_FIELDS)
    .filter(
      ([k]) => (data as Record<string, unknown>)[k] !== undefined && (data as Record<string, unknown>)[k] !== null,
    )
    .map(([k, f]) => {
      const v = (data as Record<string, unknown>)[k];
      return { label: f.label, value: f.show ? f.show(v) : String(v) };
    });
}

export { NEED_NAMES, INCOME_NAMES };
