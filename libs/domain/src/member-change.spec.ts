import { entryClosedReason, type PhaseWindow } from './campaign';
import { memberChangeData, planMemberChanges } from './member-change';
import { removalObstacles, removalOutcome } from './removal';

const members = [
  { id: 'h', name: '老张', relation: 'HEAD' },
  { id: 's', name: '张一', relation: 'SON' },
  { id: 'd', name: '张二', relation: 'DAUGHTER' },
];

describe('member changes (成员变更, 户主变更, 分户, 整户注销)', () => {
  it("a head's departure needs the new head in the same case; with it the son is head", () => {
    expect(planMemberChanges([{ change: 'remove', memberId: 'h' }], members).obstacles).toEqual([
      '户主 老张 离户 (死亡、迁出或分出), 须在同一案中指定新户主 (change: head, newHeadId)',
    ]);
    const ok = planMemberChanges(
      [
        { change: 'head', newHeadId: 's' },
        { change: 'remove', memberId: 'h' },
      ],
      members,
    );
    expect(ok.obstacles).toEqual([]);
    expect(ok.plan).toMatchObject({ headId: 's', staying: ['s', 'd'], closes: false });
  });

  it('the last member leaving closes the household; a split must leave someone behind and take its head with it', () => {
    expect(planMemberChanges([{ change: 'remove', memberId: 'h' }], [members[0]]).plan.closes).toBe(true);
    expect(
      planMemberChanges([{ change: 'split', memberIds: ['h', 's', 'd'], newHeadId: 's' }], members).obstacles,
    ).toContain('分户后原户须至少留一名成员; 整户迁移请用整户注销');
    expect(planMemberChanges([{ change: 'split', memberIds: ['s'], newHeadId: 'd' }], members).obstacles).toEqual([
      '分户的新户主须在分出的成员中',
    ]);
    expect(planMemberChanges([{ change: 'split', memberIds: ['s', 'd'], newHeadId: 's' }], members).obstacles).toEqual(
      [],
    );
  });

  it('names unknown members, double departures and a close mixed with other changes', () => {
    expect(planMemberChanges([{ change: 'remove', memberId: 'x' }], members).obstacles).toEqual([
      '成员 x 不在本户在册成员中',
    ]);
    expect(
      planMemberChanges(
        [
          { change: 'remove', memberId: 's' },
          { change: 'split', memberIds: ['s'], newHeadId: 's' },
        ],
        members,
      ).obstacles,
    ).toContain('第 2 项: 张一 已在本案其他变更中离户');
    expect(planMemberChanges([{ change: 'close' }, { change: 'remove', memberId: 's' }], members).obstacles).toEqual([
      '整户注销不能与其他变更同案',
    ]);
    expect(planMemberChanges([{ change: 'head', newHeadId: 'h' }], members).obstacles).toEqual(['老张 已是户主']);
  });

  it('accepts one change at the top or a list, with each issue under its path', () => {
    expect(
      memberChangeData({ change: 'remove', reason: 'DEATH', memberId: '0190a3c1-7e52-7c2b-9d3e-5f6a7b8c9d0e' }).success,
    ).toBe(true);
    const bad = memberChangeData({ changes: [{ change: 'split', memberIds: [], newHeadId: 'nope' }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['changes.0.memberIds', 'changes.0.newHeadId']);
  });
});

describe('清退 and the entry deadline', () => {
  it('错退 only for an exited household, corrected back to POOR; the others leave as REMOVED', () => {
    expect(removalObstacles('POOR', 'WRONGLY_EXITED')).toEqual(['错退只适用于已脱贫户, 该户状态为 POOR']);
    expect(removalObstacles('APPLICANT', 'INELIGIBLE')).toEqual(['申请中的户尚未纳入台账, 无需清退']);
    expect(removalObstacles('EXITED', 'WRONGLY_EXITED')).toEqual([]);
    expect(removalOutcome('WRONGLY_EXITED')).toBe('POOR');
    expect(removalOutcome('VOLUNTARY')).toBe('REMOVED');
  });

  it('entry closes at its calendar day or when the campaign moved past it; an extension reopens it until its date', () => {
    const calendar: PhaseWindow[] = [
      { phase: 'entry', startsAt: '2027-10-31T16:00:00.000Z', endsAt: '2027-11-20T16:00:00.000Z' },
    ];
    const before = new Date('2027-11-20T10:00:00Z');
    expect(entryClosedReason({ year: 2027, step: 'campaign.entry', calendar }, before)).toBeNull();
    expect(entryClosedReason({ year: 2027, step: 'campaign.cleaning', calendar }, before)).toBe(
      '2027 年度动态调整的数据录入已于 2027-11-20 截止; 须县级延期后补录',
    );
    expect(
      entryClosedReason({ year: 2027, step: 'campaign.entry', calendar }, new Date('2027-11-21T00:00:00Z')),
    ).toContain('已于 2027-11-20 截止');
    expect(
      entryClosedReason(
        { year: 2027, step: 'campaign.cleaning', calendar, extendedUntil: '2027-11-25T16:00:00.000Z' },
        new Date('2027-11-22T00:00:00Z'),
      ),
    ).toBeNull();
  });
});
