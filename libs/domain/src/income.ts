/**
 * 年人均纯收入: (wage + business + property + transfer − production costs) ÷ people.
 * Money is kept in whole yuan; the division rounds half away from zero.
 */
export interface IncomeParts {
  wageIncome: number;
  businessIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  people: number;
}

export function netIncome(p: IncomeParts): number {
  return p.wageIncome + p.businessIncome + p.propertyIncome + p.transferIncome - p.productionCosts;
}

export function netIncomePerHead(p: IncomeParts): number {
  if (p.people <= 0) throw new RangeError('people must be positive');
  return Math.round(netIncome(p) / p.people);
}

/** 两不愁三保障 + 饮水安全: every basic need secured. */
export const BASIC_NEEDS = ['food', 'clothing', 'education', 'medical', 'housing', 'water'] as const;
export type BasicNeed = (typeof BASIC_NEEDS)[number];
export type BasicNeeds = Record<BasicNeed, boolean>;

export function unmetBasicNeeds(needs: BasicNeeds): BasicNeed[] {
  return BASIC_NEEDS.filter((n) => !needs[n]);
}
