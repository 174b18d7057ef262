import { incidence, villageExitThreshold } from './incidence';
import { netIncome, netIncomePerHead, unmetBasicNeeds } from './income';

describe('net income per head', () => {
  const parts = {
    wageIncome: 12000,
    businessIncome: 3000,
    propertyIncome: 500,
    transferIncome: 2500,
    productionCosts: 4000,
    people: 4,
  };

  it('is income minus production costs, divided by the people', () => {
    expect(netIncome(parts)).toBe(14000);
    expect(netIncomePerHead(parts)).toBe(3500);
  });

  it('rounds to whole yuan', () => {
    expect(netIncomePerHead({ ...parts, people: 3 })).toBe(4667);
  });

  it('refuses a household of nobody', () => {
    expect(() => netIncomePerHead({ ...parts, people: 0 })).toThrow(RangeError);
  });

  it('lists each unmet basic need', () => {
    expect(
      unmetBasicNeeds({ food: true, clothing: true, education: false, medical: true, housing: false, water: true }),
    ).toEqual(['education', 'housing']);
  });
});

describe('incidence', () => {
  it('is poor people over rural population', () => {
    expect(incidence(21, 1000)).toBeCloseTo(0.021);
    expect(incidence(5, 0)).toBe(0);
  });
  it('uses 3% in the west and 2% elsewhere', () => {
    expect(villageExitThreshold(true)).toBe(0.03);
    expect(villageExitThreshold(false)).toBe(0.02);
  });
});
