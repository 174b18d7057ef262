import { addCadence, isCadence, revisitFormSchema, revisitRiskReasons } from './follow-up';
import { monthsBefore, riskEliminationObstacles, type RiskEliminationInput } from './monitoring-criteria';

const allMet = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };

describe('revisit cadence', () => {
  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addCadence(new Date('2026-01-31T00:00:00Z'), 'P1M').toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addCadence(new Date('2026-11-15T04:00:00Z'), 'P3M').toISOString()).toBe('2027-02-15T04:00:00.000Z');
    expect(addCadence(new Date('2026-11-15T00:00:00Z'), 'P30D').toISOString()).toBe('2026-12-15T00:00:00.000Z');
  });
  it('refuses anything but PnM / PnD', () => {
    expect(() => addCadence(new Date(), 'quarterly')).toThrow(RangeError);
    expect(isCadence('P3M')).toBe(true);
    expect(isCadence('P0M')).toBe(false);
    expect(isCadence('3M')).toBe(false);
  });
  it('monthsBefore is the inverse on ordinary days', () => {
    expect(monthsBefore(new Date('2026-08-31T00:00:00Z'), 6).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('revisit form', () => {
  it('a quiet visit is no risk clue; a drop in income, a new risk or an unmet need is', () => {
    const quiet = revisitFormSchema.parse({ incomeChange: 'same', needs: allMet });
    expect(revisitRiskReasons(quiet)).toEqual([]);
    expect(revisitRiskReasons({ ...quiet, incomeChange: 'down' })).toHaveLength(1);
    expect(revisitRiskReasons({ ...quiet, newRisks: ['illness', 'disaster'] })).toHaveLength(2);
    expect(revisitRiskReasons({ ...quiet, needs: { ...allMet, water: false } })[0]).toContain('water');
  });
  it('names the missing field', () => {
    const r = revisitFormSchema.safeParse({ incomeChange: 'same' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['needs']);
  });
});

describe('risk elimination criteria', () => {
  const now = new Date('2026-11-29T00:00:00Z');
  const base: RiskEliminationInput = {
    status: 'MONITORED',
    monitoredSince: new Date('2026-01-10T00:00:00Z'),
    now,
    assessments: [
      { assessedOn: new Date('2026-03-01T00:00:00Z'), netIncomePerHead: 9000, needs: allMet },
      { assessedOn: new Date('2026-10-01T00:00:00Z'), netIncomePerHead: 9100, needs: allMet },
    ],
    monitoringLine: () => 7800,
    labourCapacities: ['NORMAL', 'NOT_LABOUR'],
    latestVisitRisky: false,
  };
  it('allows a household meeting every condition', () => {
    expect(riskEliminationObstacles(base)).toEqual([]);
  });
  it('refuses before 6 months of monitoring', () => {
    expect(riskEliminationObstacles({ ...base, monitoredSince: new Date('2026-07-01T00:00:00Z') })).toEqual([
      '纳入监测未满 6 个月 (自 2026-07-01 起)',
    ]);
  });
  it('refuses when income was not above the line for 6 months', () => {
    const dip = [
      ...base.assessments,
      { assessedOn: new Date('2026-11-01T00:00:00Z'), netIncomePerHead: 7000, needs: allMet },
    ];
    expect(riskEliminationObstacles({ ...base, assessments: dip })).toContain(
      '人均纯收入稳定高于监测收入线未满 6 个月: 2026-11-01 核实年人均纯收入 7000 元, 2026 年监测收入线 7800 元',
    );
    const recentOnly = base.assessments.slice(1);
    expect(riskEliminationObstacles({ ...base, assessments: recentOnly })).toContain(
      '人均纯收入稳定高于监测收入线未满 6 个月: 6 个月前没有核实记录',
    );
  });
  it('refuses when a year has no monitoring line, naming the year (never read as 0)', () => {
    const r = riskEliminationObstacles({ ...base, monitoringLine: (y) => (y === 2026 ? null : 7800) });
    expect(r).toContain('没有 2026 年的监测收入线 (政策数据 monitoringLine)');
  });
  it('counts an assessment in its own year, not its UTC calendar year', () => {
    // Assessed on 1 January 2027 00:30 CST (still 2026 in UTC): the 2027 line applies.
    const r = riskEliminationObstacles({
      ...base,
      now: new Date('2027-07-10T00:00:00Z'),
      assessments: [{ assessedOn: new Date('2026-12-31T16:30:00Z'), netIncomePerHead: 8000, needs: allMet }],
      monitoringLine: (y) => (y === 2027 ? 8500 : 7800),
    });
    expect(r.join()).toMatch(/2027 年监测收入线 8500 元/);
  });
  it('refuses a household without labour capacity, and one with a new risk', () => {
    expect(riskEliminationObstacles({ ...base, labourCapacities: ['NONE', 'NOT_LABOUR'] })).toEqual([
      '无劳动能力户不进行风险消除, 继续监测帮扶',
    ]);
    expect(riskEliminationObstacles({ ...base, latestVisitRisky: true })).toEqual(['最近一次回访发现新的风险']);
    expect(riskEliminationObstacles({ ...base, pendingRiskyAlerts: 2 })).toEqual(['有 2 条部门风险预警尚待研判']);
  });
});
