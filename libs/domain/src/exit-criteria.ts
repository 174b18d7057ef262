/** 贫困村退出: incidence below the threshold (2%, or 3% in the west) and every condition met. */
export const VILLAGE_EXIT_CONDITIONS = ['road', 'water', 'power', 'clinic', 'collectiveIncome'] as const;
export type VillageExitCondition = (typeof VILLAGE_EXIT_CONDITIONS)[number];

export function villageExitObstacles(
  incidence: number,
  threshold: number,
  conditions: Partial<Record<VillageExitCondition, boolean>>,
): string[] {
  const out: string[] = [];
  if (!(incidence < threshold))
    out.push(`贫困发生率 ${(incidence * 100).toFixed(2)}% 未低于 ${(threshold * 100).toFixed(0)}%`);
  const labels: Record<VillageExitCondition, string> = {
    road: '通硬化路',
    water: '安全饮水',
    power: '通生产生活用电',
    clinic: '有标准化卫生室',
    collectiveIncome: '有集体经济收入',
  };
  for (const c of VILLAGE_EXIT_CONDITIONS) if (!conditions[c]) out.push(`未满足: ${labels[c]}`);
  return out;
}
