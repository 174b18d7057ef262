import { cstDate, cstYear } from './china-time';
import { unmetBasicNeeds, type BasicNeeds } from './income';

export const MONITORING_TYPES = ['UNSTABLE_EXITED', 'MARGINAL', 'SUDDEN_HARDSHIP'] as const;
export type MonitoringTypeCode = (typeof MONITORING_TYPES)[number];

/**
 * 纳入监测: an exited household (脱贫不稳定户) or a household never registered as poor (边缘易致贫户,
 * 突发严重困难户). A registered poor household is already supported; a monitored one already is.
 */
export function monitoringInclusionObstacles(status: string): string[] {
  if (status === 'POOR') return ['未脱贫户已在帮扶中, 不纳入防返贫监测'];
  if (status === 'MONITORED') return ['该户已是监测对象'];
  if (status === 'CLOSED') return ['该户已销户'];
  if (status === 'REMOVED') return ['该户已清退'];
  return [];
}

export interface RiskEliminationInput {
  status: string;
  monitoredSince: Date | null;
  now: Date;
  /** Assessments oldest first. */
  assessments: { assessedOn: Date; year?: number; netIncomePerHead: number; needs: BasicNeeds }[];
  /** The monitoring line (yuan per head) of a year, from policy; null when none is set. */
  monitoringLine: (year: number) => number | null;
  /** Labour capacity codes of the household's active members. */
  labourCapacities: string[];
  /** The latest revisit found a new risk. */
  latestVisitRisky: boolean;
  /** Risky department alerts about the household still waiting in triage. */
  pendingRiskyAlerts?: number;
}

const NO_LABOUR = new Set(['NONE', 'NOT_LABOUR']);

/**
 * 风险消除: monitored ≥ 6 months; income above the monitoring line for ≥ 6 months (an assessment at
 * least 6 months old above the line and none since at or below it); basic needs and water secure;
 * no new risk; and not a household without labour capacity (无劳动能力户 stay monitored: 2021
 * 健全防止返贫动态监测和帮扶机制的指导意见). Returns the reasons it may not be eliminated.
 */
export function riskEliminationObstacles(h: RiskEliminationInput): string[] {
  const out: string[] = [];
  if (h.status !== 'MONITORED') return [`户状态为 ${h.status}, 只有监测对象可以风险消除`];
  const sixMonthsAgo = monthsBefore(h.now, 6);
  // A record registered or imported without its start date cannot be counted: say so, not "under 6 months".
  // The date is set only by an announced inclusion or the county's audited import of stock (RULES.md row 5: ≥ 6 months).
  if (!h.monitoredSince) out.push('纳入监测时间未登记: 须由县级在存量数据导入时补录');
  else if (h.monitoredSince > sixMonthsAgo) out.push(`纳入监测未满 6 个月 (自 ${cstDate(h.monitoredSince)} 起)`);
  const yearOf = (a: RiskEliminationInput['assessments'][number]) => a.year ?? cstYear(a.assessedOn);
  const before = h.assessments.filter((a) => a.assessedOn <= sixMonthsAgo).at(-1);
  const since = h.assessments.filter((a) => a.assessedOn > sixMonthsAgo);
  const counted = [...(before ? [before] : []), ...since];
  const noLine = [...new Set(counted.map(yearOf).filter((y) => h.monitoringLine(y) === null))];
  if (noLine.length > 0) out.push(`没有 ${noLine.join('、')} 年的监测收入线 (政策数据 monitoringLine)`);
  const above = (a: RiskEliminationInput['assessments'][number]) => {
    const line = h.monitoringLine(yearOf(a));
    return line !== null && a.netIncomePerHead > line;
  };
  if (!before || !above(before) || !since.every(above)) {
    const low = counted.find((a) => !above(a));
    const figure = low
      ? `: ${cstDate(low.assessedOn)} 核实年人均纯收入 ${low.netIncomePerHead} 元, ${yearOf(low)} 年监测收入线 ${h.monitoringLine(yearOf(low)) ?? '未设定'} 元`
      : ': 6 个月前没有核实记录';
    out.push(`人均纯收入稳定高于监测收入线未满 6 个月${figure}`);
  }
  const latest = h.assessments.at(-1);
  if (!latest) out.push('没有收入与两不愁三保障核实记录');
  else {
    const unmet = unmetBasicNeeds(latest.needs);
    if (unmet.length > 0) out.push(`两不愁三保障及饮水安全未全部达标: ${unmet.join(', ')}`);
  }
  if (h.latestVisitRisky) out.push('最近一次回访发现新的风险');
  // No new risk (RULES.md row 5): a department's risk alert still in triage is a risk not yet ruled out.
  if (h.pendingRiskyAlerts) out.push(`有 ${h.pendingRiskyAlerts} 条部门风险预警尚待研判`);
  if (h.labourCapacities.length > 0 && h.labourCapacities.every((c) => NO_LABOUR.has(c)))
    out.push('无劳动能力户不进行风险消除, 继续监测帮扶');
  return out;
}

/** The same calendar day n months earlier (clamped to the month's last day). */
export function monthsBefore(at: Date, n: number): Date {
  const d = new Date(
    Date.UTC(
      at.getUTCFullYear(),
      at.getUTCMonth() - n,
      1,
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(at.getUTCDate(), last));
  return d;
}
