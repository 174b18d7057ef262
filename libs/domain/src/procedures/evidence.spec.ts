import { exitChecks, exitEligibility, identificationChecks, unmet, type AssessedIncome } from './eligibility';
import { evidenceSections, recordLines, stepDuty } from './evidence';

const allMet = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };
const income = (over: Partial<AssessedIncome> = {}): AssessedIncome => ({
  wageIncome: 12_000,
  businessIncome: 2_000,
  propertyIncome: 0,
  transferIncome: 1_200,
  productionCosts: 2_000,
  needs: allMet,
  ...over,
});
const exit = { status: 'POOR', year: 2026, povertyLine: 4000, identifiedYear: 2018, returnedYear: null };

describe('the evidence beside a decision', () => {
  it('lists every exit condition pass or fail with its figure; the refusal is exactly the failed ones', () => {
    const pass = exitChecks({ ...exit, residents: 3, assessment: income() });
    expect(pass.map((c) => [c.label, c.ok])).toEqual([
      ['户状态', true],
      ['非当年新识别', true],
      ['年人均纯收入超过贫困标准', true],
      ['两不愁三保障及饮水安全', true],
    ]);
    expect(pass[2].detail).toBe('年人均纯收入 4400 元 (3 名常住成员) 超过 2026 年贫困标准 4000 元');
    // A birth: 3 300 per head, and the house is unsafe.
    const fail = exitChecks({ ...exit, residents: 4, assessment: income({ needs: { ...allMet, housing: false } }) });
    expect(fail.filter((c) => !c.ok).map((c) => c.label)).toEqual([
      '年人均纯收入超过贫困标准',
      '两不愁三保障及饮水安全',
    ]);
    expect(unmet(fail)).toEqual(
      exitEligibility({ ...exit, residents: 4, assessment: income({ needs: { ...allMet, housing: false } }) }),
    );
    expect(unmet(fail)[0]).toBe('年人均纯收入 3300 元 (4 名常住成员) 未超过 2026 年贫困标准 4000 元');
  });

  it('identification says why a household qualifies, and names the missing assessment', () => {
    const low = identificationChecks({
      status: 'APPLICANT',
      year: 2026,
      residents: 4,
      povertyLine: 4000,
      assessment: income(),
    });
    expect(low).toEqual([
      { label: '户状态', ok: true, detail: '户状态为 一般农户 (申请中)' },
      {
        label: '收入或两不愁三保障低于标准',
        ok: true,
        detail: '年人均纯收入 3300 元 (4 名常住成员), 2026 年贫困标准 4000 元',
      },
    ]);
    const none = identificationChecks({
      status: 'APPLICANT',
      year: 2026,
      residents: 4,
      povertyLine: 4000,
      assessment: null,
    });
    expect(none.find((c) => c.label === '当年核实')).toEqual({
      label: '当年核实',
      ok: false,
      detail: '没有 2026 年的收入与两不愁三保障核实记录',
    });
  });

  it("an objection's verification shows the objection first; a sign-off the household's facts", () => {
    expect(evidenceSections('exit', 'village.notice.objection')[0]).toBe('objections');
    expect(evidenceSections('exit', 'township.review').slice(0, 2)).toEqual(['checks', 'assessment']);
    expect(evidenceSections('member_change', 'township.approval')[0]).toBe('member_changes');
    expect(stepDuty('exit', 'village.verification')).toMatch(/农户签字认可/);
    expect(stepDuty('identification', 'village.notice.objection')).toMatch(/核实异议/);
  });

  it("shows a record's fields in Chinese and nothing it does not know", () => {
    expect(
      recordLines({
        appraisalDate: '2026-11-02',
        attendance: 10,
        votesFor: 8,
        votesAgainst: 1,
        idNumber: '110101199003071234',
      }),
    ).toEqual([
      { label: '评议日期', value: '2026-11-02' },
      { label: '参会人数', value: '10 人' },
      { label: '赞成票', value: '8 票' },
      { label: '反对票', value: '1 票' },
    ]);
    expect(recordLines({ assessment: { ...income(), housing: false }, householdAgrees: true })).toEqual([
      { label: '农户签字认可', value: '已签字认可' },
      {
        label: '核实的收入与保障',
        value:
          '工资性收入 12000 元; 生产经营性收入 2000 元; 财产性收入 0 元; 转移性收入 1200 元; 生产经营性支出 2000 元; 未保障: 住房安全',
      },
    ]);
  });
});
