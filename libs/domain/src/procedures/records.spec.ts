import { cstDate } from '../china-time';
import { PROCEDURES, recordOf, stepsOf } from './catalogue';
import { decisionRecordIssues } from './records';
import { STEPS, stepLabel } from './steps';

const findings = {
  wageIncome: 12_000,
  businessIncome: 0,
  propertyIncome: 0,
  transferIncome: 0,
  productionCosts: 0,
  food: true,
  clothing: true,
  education: true,
  medical: true,
  housing: true,
  water: true,
};

describe('the procedure catalogue', () => {
  it('lists each procedure in legal order, every step known with a level and a label', () => {
    expect(stepsOf('exit')).toEqual([
      'village.appraisal',
      'village.verification',
      'village.notice',
      'township.review',
      'county.approval',
      'announcement',
    ]);
    for (const def of Object.values(PROCEDURES)) {
      for (const { step } of def.steps) {
        expect(STEPS[step].label).toMatch(/\p{Script=Han}/u);
        expect(['village', 'township', 'county']).toContain(STEPS[step].level);
      }
      // The announcement ends every procedure that changes the registry.
      if (def.steps.length > 1) expect(def.steps.at(-1)!.step).toBe('announcement');
    }
  });

  it('names a record per step and procedure', () => {
    expect(recordOf('exit', 'village.verification')).toBe('exit_verification');
    expect(recordOf('identification', 'village.verification')).toBe('verification');
    expect(recordOf('member_change', 'village.verification')).toBe('member_verification');
    expect(recordOf('exit', 'village.notice.objection')).toBe('objection_verification');
    expect(stepLabel('township.approval')).toBe('乡镇审批');
    expect(stepLabel('county.audit')).toBe('县级审核');
  });
});

describe('decision records', () => {
  const appraisal = { appraisalDate: '2026-11-20', attendance: 40, votesFor: 30, votesAgainst: 5 };

  it('an appraisal needs its date, attendance and votes', () => {
    expect(decisionRecordIssues('exit', 'village.appraisal', 'approve', appraisal)).toEqual([]);
    const missing = decisionRecordIssues('exit', 'village.appraisal', 'approve', {});
    expect(missing.map((i) => i.path)).toEqual(['data.appraisalDate', 'data.attendance', 'data.votesFor']);
  });

  it('an approval needs more than half of those present; votes cannot exceed attendance; the date is not in the future', () => {
    expect(decisionRecordIssues('exit', 'village.appraisal', 'approve', { ...appraisal, votesFor: 3 })).toEqual([
      { path: 'data.votesFor', message: '赞成 3 票未超过参会人数 40 的半数, 评议不能通过' },
    ]);
    expect(
      decisionRecordIssues('exit', 'village.appraisal', 'approve', { ...appraisal, attendance: 10, votesFor: 40 })[0]
        .message,
    ).toBe('赞成 40 票与反对 5 票之和超过参会人数 10');
    const tomorrow = cstDate(new Date(Date.now() + 2 * 86_400_000));
    expect(
      decisionRecordIssues('exit', 'village.appraisal', 'approve', { ...appraisal, appraisalDate: tomorrow }),
    ).toEqual([{ path: 'data.appraisalDate', message: '评议日期不能在将来' }]);
    // A rejected appraisal needs no majority.
    expect(decisionRecordIssues('exit', 'village.appraisal', 'reject', { ...appraisal, votesFor: 3 })).toEqual([]);
  });

  it("an exit's verification carries the visit's findings and the household's agreement", () => {
    expect(
      decisionRecordIssues('exit', 'village.verification', 'approve', { assessment: findings, householdAgrees: true }),
    ).toEqual([]);
    const r = decisionRecordIssues('exit', 'village.verification', 'approve', { householdAgrees: false });
    expect(r.map((i) => i.path)).toEqual(['data.assessment', 'data.householdAgrees']);
    expect(
      decisionRecordIssues('identification', 'village.verification', 'approve', {
        assessment: { ...findings, wageIncome: -1 },
      }),
    ).toEqual([{ path: 'data.assessment.wageIncome', message: '不能为负数' }]);
  });

  it("an objection's verification gives its finding, whatever the decision", () => {
    expect(decisionRecordIssues('exit', 'village.notice.objection', 'reject', {})).toEqual([
      { path: 'data.finding', message: '请填写异议核实情况' },
    ]);
    expect(
      decisionRecordIssues('exit', 'village.notice.objection', 'approve', { finding: '经走访, 反映情况不属实' }),
    ).toEqual([]);
  });

  it('a monitoring approval names the type; a home check for monitoring, the signed authorisation', () => {
    expect(decisionRecordIssues('monitoring_inclusion', 'county.approval', 'approve', {}).map((i) => i.path)).toEqual([
      'data.monitoringType',
    ]);
    expect(
      decisionRecordIssues('monitoring_inclusion', 'village.home_check', 'approve', {}).map((i) => i.path),
    ).toEqual(['data.authorisationSigned']);
    expect(decisionRecordIssues('risk_elimination', 'village.home_check', 'approve', {})).toEqual([]);
  });
});
