import type { BasicNeeds } from './income';
import { unmetBasicNeeds } from './income';

export interface ExitCheckInput {
  status: string;
  identifiedYear: number | null;
  returnedYear: number | null;
  year: number;
  netIncomePerHead: number | null;
  povertyLine: number;
  needs: BasicNeeds | null;
}

/**
 * 脱贫退出 criteria: a POOR household, not newly identified or returned this year, whose net
 * income per head is above the year's line and whose 两不愁三保障 + safe water are all met.
 * Returns the reasons it may not exit (empty = may exit), in Chinese for the officer.
 */
export function exitObstacles(h: ExitCheckInput): string[] {
  const out: string[] = [];
  if (h.status !== 'POOR') out.push(`户状态为 ${h.status}, 只有未脱贫户可以退出`);
  if (h.identifiedYear === h.year) out.push(`${h.year} 年新识别的户当年不能退出`);
  if (h.returnedYear === h.year) out.push(`${h.year} 年返贫的户当年不能退出`);
  if (h.netIncomePerHead === null || h.needs === null) out.push('没有当年的收入与两不愁三保障核实记录');
  else {
    if (h.netIncomePerHead <= h.povertyLine) out.push(`年人均纯收入 ${h.netIncomePerHead} 元未超过当年标准 ${h.povertyLine} 元`);
    const unmet = unmetBasicNeeds(h.needs);
    if (unmet.length > 0) out.push(`两不愁三保障及饮水安全未全部达标: ${unmet.join(', ')}`);
  }
  return out;
}

/** 贫困村退出: incidence below the threshold (2%, or 3% in the west) and every condition met. */
export const VILLAGE_EXIT_CONDITIONS = ['road', 'water', 'power', 'clinic', 'collectiveIncome'] as const;
export type VillageExitCondition = (typeof VILLAGE_EXIT_CONDITIONS)[number];

export function villageExitObstacles(incidence: number, threshold: number, conditions: Partial<Record<VillageExitCondition, boolean>>): string[] {
  const out: string[] = [];
  if (!(incidence < threshold)) out.push(`贫困发生率 ${(incidence * 100).toFixed(2)}% 未低于 ${(threshold * 100).toFixed(0)}%`);
  const labels: Record<VillageExitCondition, string> = { road: '通硬化路', water: '安全饮水', power: '通生产生活用电', clinic: '有标准化卫生室', collectiveIncome: '有集体经济收入' };
  for (const c of VILLAGE_EXIT_CONDITIONS) if (!conditions[c]) out.push(`未满足: ${labels[c]}`);
  return out;
}
