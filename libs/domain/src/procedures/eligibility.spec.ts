import {
  assessmentDateIssue,
  caseYearObstacles,
  marginalIncomeObstacles,
  exitEligibility,
  identificationObstacles,
  monitoringTypeObstacles,
  perHeadNow,
  returnObstacles,
  type AssessedIncome,
} from './eligibility';
import { cstDate, cstYear } from '../china-time';

const allMet = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };
/** 13 200 yuan of net income a year. */
const income = (over: Partial<AssessedIncome> = {}): AssessedIncome => ({
  wageIncome: 12_000,
  businessIncome: 2_000,
  propertyIncome: 0,
  transferIncome: 1_200,
  productionCosts: 2_000,
  needs: allMet,
  ...over,
});

describe('eligibility on live facts', () => {
  it('income per head is computed from the members living there now, not a stored figure', () => {
    expect(perHeadNow(income(), 3)).toBe(4400);
    // A birth: four people now.
    expect(perHeadNow(income(), 4)).toBe(3300);
    expect(perHeadNow(income(), 0)).toBeNull();
  });

  describe('identification', () => {
    const f = { status: 'APPLICANT', year: 2026, residents: 1, povertyLine: 4000 };
    it('refuses a household at 50 000 per head with every need met, giving the figure and the line', () => {
      const r = identificationObstacles(
        { ...f, assessment: income({ wageIncome: 48_800 }) },
        { requireAssessment: false },
      );
      expect(r).toEqual([
        '年人均纯收入 50000 元 (1 名常住成员), 2026 年贫困标准 4000 元: 收入高于标准且两不愁三保障及饮水安全均有保障, 不符合识别条件',
      ]);
    });
    it('accepts a household below the line, or above it with a need unmet', () => {
      expect(
        identificationObstacles({ ...f, residents: 4, assessment: income() }, { requireAssessment: true }),
      ).toEqual([]);
      expect(
        identificationObstacles(
          { ...f, assessment: income({ wageIncome: 48_800, needs: { ...allMet, housing: false } }) },
          { requireAssessment: true },
        ),
      ).toEqual([]);
    });
    it("lets a case start before the visit, but not be announced without the year's assessment", () => {
      expect(identificationObstacles({ ...f, assessment: null }, { requireAssessment: false })).toEqual([]);
      expect(identificationObstacles({ ...f, assessment: null }, { requireAssessment: true })).toEqual([
        '没有 2026 年的收入与两不愁三保障核实记录',
      ]);
    });
  });

  describe('exit', () => {
    const f = { status: 'POOR', identifiedYear: 2019, returnedYear: null, year: 2026, povertyLine: 4000 };
    it('a birth that lowers income per head to 2 933 stops the exit, though the stored figure said 4 400', () => {
      expect(exitEligibility({ ...f, residents: 3, assessment: income() })).toEqual([]);
      const r = exitEligibility({ ...f, residents: 4, assessment: income({ wageIncome: 9_732 }) });
      expect(r).toEqual(['年人均纯收入 2733 元 (4 名常住成员) 未超过 2026 年贫困标准 4000 元']);
    });
    it('lists every unmet condition at once', () => {
      const r = exitEligibility({
        ...f,
        identifiedYear: 2026,
        residents: 13,
        assessment: income({ needs: { ...allMet, housing: false, water: false } }),
      });
      expect(r).toHaveLength(3);
      expect(r[0]).toBe('2026 年新识别的户当年不能退出');
      expect(r[2]).toBe('两不愁三保障及饮水安全未全部达标: 住房安全有保障、饮水安全有保障');
    });
    it("refuses without the year's assessment or line, naming the year", () => {
      expect(exitEligibility({ ...f, povertyLine: null, residents: 3, assessment: null })).toEqual([
        '没有 2026 年的贫困标准 (政策数据 povertyLine)',
        '没有 2026 年的收入与两不愁三保障核实记录',
      ]);
    });
  });

  it('return needs an assessment of the year below the standard', () => {
    const f = { status: 'EXITED', year: 2026, residents: 3, povertyLine: 4000 };
    expect(returnObstacles({ ...f, assessment: null })).toEqual(['没有 2026 年的收入与两不愁三保障核实记录']);
    expect(returnObstacles({ ...f, assessment: income() })[0]).toMatch(
      /年人均纯收入 4400 元.*未低于标准, 不符合返贫条件/,
    );
    expect(returnObstacles({ ...f, residents: 4, assessment: income() })).toEqual([]);
  });

  it('the monitoring type matches the household', () => {
    expect(monitoringTypeObstacles('APPLICANT', 'UNSTABLE_EXITED')).toEqual([
      '户状态为 APPLICANT: 脱贫不稳定户只适用于已脱贫户',
    ]);
    expect(monitoringTypeObstacles('EXITED', 'UNSTABLE_EXITED')).toEqual([]);
    expect(monitoringTypeObstacles('EXITED', 'MARGINAL')).toHaveLength(1);
    expect(monitoringTypeObstacles('APPLICANT', 'MARGINAL')).toEqual([]);
    expect(monitoringTypeObstacles('EXITED', 'SUDDEN_HARDSHIP')).toEqual([]);
    expect(monitoringTypeObstacles('POOR', 'SUDDEN_HARDSHIP')).toHaveLength(1);
  });

  it('a marginal household is below the one monitoring line; a missing line is named, never 0', () => {
    expect(marginalIncomeObstacles('MARGINAL', 2026, 9000, 7800)).toEqual([
      '年人均纯收入 9000 元高于 2026 年监测收入线 7800 元: 不属于边缘易致贫户',
    ]);
    expect(marginalIncomeObstacles('MARGINAL', 2026, 7000, 7800)).toEqual([]);
    expect(marginalIncomeObstacles('MARGINAL', 2026, 7000, null)).toEqual([
      '没有 2026 年的防返贫监测收入线 (政策数据 monitoringLine)',
    ]);
    expect(marginalIncomeObstacles('SUDDEN_HARDSHIP', 2026, 90000, 7800)).toEqual([]);
  });

  describe('the case year, in China Standard Time', () => {
    const window = { lateMonths: 3 };
    it('31 December 20:00 UTC is already the next year in China', () => {
      const at = new Date('2026-12-31T20:00:00Z');
      expect(cstYear(at)).toBe(2027);
      expect(cstDate(at)).toBe('2027-01-01');
      expect(caseYearObstacles(2027, at, window)).toEqual([]);
    });
    it('refuses a future year, a year before identification, and last year outside the late window', () => {
      const now = new Date('2026-12-06T04:00:00Z');
      expect(caseYearObstacles(2030, now, window)).toEqual(['年度 2030 在将来: 只能办理 2026 年的案件']);
      expect(caseYearObstacles(2025, now, window)).toEqual(['2025 年的案件只能在 2026 年前 3 个月内补办']);
      expect(caseYearObstacles(2025, new Date('2026-02-10T04:00:00Z'), window, 2025)).toEqual([]);
      expect(caseYearObstacles(2024, new Date('2026-02-10T04:00:00Z'), window)).toEqual([
        '年度 2024 已过: 只能办理 2026 年的案件',
      ]);
      expect(caseYearObstacles(2026, now, window, 2027)).toEqual(['年度 2026 早于该户识别年度 2027']);
    });
  });

  it('an assessment is dated within the window, in its own year', () => {
    const now = new Date('2026-12-06T04:00:00Z');
    expect(assessmentDateIssue({ year: 2026, assessedOn: '2026-12-01' }, 31, now)).toBeNull();
    expect(assessmentDateIssue({ year: 2026, assessedOn: '2026-12-09' }, 31, now)?.message).toBe(
      '核实日期 2026-12-09 在将来 (今天是 2026-12-06)',
    );
    expect(assessmentDateIssue({ year: 2026, assessedOn: '2026-05-01' }, 31, now)?.message).toBe(
      '核实日期 2026-05-01 早于补录期限 2026-11-05 (政策: 最多补录 31 天前的核实)',
    );
    expect(assessmentDateIssue({ year: 2030, assessedOn: '2026-12-01' }, 31, now)?.path).toBe('year');
    expect(
      assessmentDateIssue({ year: 2025, assessedOn: '2026-01-10' }, 400, new Date('2026-01-20T00:00:00Z')),
    ).toBeNull();
  });
});
