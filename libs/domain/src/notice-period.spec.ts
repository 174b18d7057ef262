import { noticeEndsAt } from './notice-period';
import { villageExitObstacles } from './exit-criteria';

describe('notice period of N full days (CST)', () => {
  it('starts counting the day after posting and ends at local midnight', () => {
    // 2026-11-29 15:00 CST = 07:00Z; 7 full days → 2026-12-07 00:00 CST = 2026-12-06T16:00Z.
    expect(noticeEndsAt(new Date('2026-11-29T07:00:00Z'), 7).toISOString()).toBe('2026-12-06T16:00:00.000Z');
  });
  it('a notice posted one minute before midnight does not count that day', () => {
    expect(noticeEndsAt(new Date('2026-11-29T15:59:00Z'), 5).toISOString()).toBe('2026-12-04T16:00:00.000Z');
    expect(noticeEndsAt(new Date('2026-11-29T16:00:00Z'), 5).toISOString()).toBe('2026-12-05T16:00:00.000Z');
  });
  it('is never shorter than N × 24 hours', () => {
    for (let h = 0; h < 48; h++) {
      const posted = new Date(Date.UTC(2026, 0, 1, h, 17));
      expect(noticeEndsAt(posted, 7).getTime() - posted.getTime()).toBeGreaterThanOrEqual(7 * 86_400_000);
    }
  });
});

describe('village exit criteria', () => {
  it('village exit: below 2% required, equal is not below', () => {
    const all = { road: true, water: true, power: true, clinic: true, collectiveIncome: true };
    expect(villageExitObstacles(0.021, 0.02, all)).toHaveLength(1);
    expect(villageExitObstacles(0.02, 0.02, all)).toHaveLength(1);
    expect(villageExitObstacles(0.025, 0.03, all)).toEqual([]);
    expect(villageExitObstacles(0.01, 0.02, { ...all, clinic: false })).toEqual(['未满足: 有标准化卫生室']);
  });
});
