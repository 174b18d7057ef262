import { cstDate } from '@jingzhun/domain';

/**
 * Valid records for the steps' decisions (libs/domain's catalogue), for tests that go through a
 * procedure to reach what they test. Tests of the records themselves build their own.
 */
const allMet = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };

/** What a verification visit found: 30 000 of net income a year, every need met (10 000 per head for 3). */
function findings(over: Record<string, unknown> = {}) {
  return {
    wageIncome: 30000,
    businessIncome: 0,
    propertyIncome: 0,
    transferIncome: 3000,
    productionCosts: 3000,
    ...allMet,
    ...over,
  };
}

export const records = {
  /** 民主评议 held today: 39 of 40 for. */
  appraisal: (over: Record<string, unknown> = {}) => ({
    appraisalDate: cstDate(),
    attendance: 40,
    votesFor: 39,
    votesAgainst: 1,
    ...over,
  }),
  findings,
  /** 脱贫退出's visit: above the line, every need met, the household agrees. */
  exitVisit: (over: Record<string, unknown> = {}) => ({ assessment: findings(), householdAgrees: true, ...over }),
  /** 识别纳入's visit: 3 600 a year in all, housing unsafe. */
  identificationVisit: () => ({
    assessment: findings({ wageIncome: 3000, transferIncome: 1000, productionCosts: 400, housing: false }),
  }),
  /** An objection's verification. */
  objection: (finding = '经走访核实, 反映情况不属实') => ({ finding }),
};
