import { inQuietHours, quietHoursEnd } from './quiet-hours';

describe('quiet hours (China Standard Time)', () => {
  it('22:00–07:00 local is quiet; 21:59 and 07:00 are not', () => {
    expect(inQuietHours(new Date('2026-11-29T13:59:00Z'), '22-7')).toBe(false); // 21:59 CST
    expect(inQuietHours(new Date('2026-11-29T14:00:00Z'), '22-7')).toBe(true); // 22:00 CST
    expect(inQuietHours(new Date('2026-11-29T18:30:00Z'), '22-7')).toBe(true); // 02:30 CST
    expect(inQuietHours(new Date('2026-11-29T23:00:00Z'), '22-7')).toBe(false); // 07:00 CST
    expect(inQuietHours(new Date('2026-11-29T18:30:00Z'), '')).toBe(false);
  });
  it('an SMS at 23:10 waits until 07:00 the next morning; one at 02:30 until 07:00 the same morning', () => {
    expect(quietHoursEnd(new Date('2026-11-29T15:10:00Z'), '22-7').toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(quietHoursEnd(new Date('2026-11-29T18:30:00Z'), '22-7').toISOString()).toBe('2026-11-29T23:00:00.000Z');
    const day = new Date('2026-11-29T04:00:00Z');
    expect(quietHoursEnd(day, '22-7')).toBe(day);
  });
});
