import { entryClosedReason } from './campaign';
import { PHOTO_MAX_BYTES, recordedAtIssue, RECORDED_AT_MAX_AGE_DAYS, sniffImageType } from './offline';

describe('records made offline (#24)', () => {
  it('tells an image by its first bytes, never by its name', () => {
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('%PDF-1.7 not a photo'))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageType(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(PHOTO_MAX_BYTES).toBe(512_000);
  });

  it('takes a recordedAt from the last two weeks, refuses one in the future or older', () => {
    const now = new Date('2026-12-07T10:00:00+08:00');
    expect(recordedAtIssue('2026-12-07T08:00:00+08:00', now)).toBeNull();
    expect(recordedAtIssue('2026-12-07T10:04:00+08:00', now)).toBeNull();
    expect(recordedAtIssue('2026-12-07T10:06:00+08:00', now)).toContain('晚于当前时间');
    expect(recordedAtIssue('2026-11-20T10:00:00+08:00', now)).toContain(`${RECORDED_AT_MAX_AGE_DAYS} 天`);
    expect(recordedAtIssue('not a time', now)).toBe('记录时间无效');
  });

  it('judges a campaign record made offline by the calendar at that moment, whatever the phase since', () => {
    const c = {
      year: 2026,
      step: 'campaign.cleaning',
      calendar: [
        { phase: 'entry' as const, startsAt: '2026-10-01T00:00:00+08:00', endsAt: '2026-11-21T00:00:00+08:00' },
      ],
    };
    const before = new Date('2026-11-20T16:00:00+08:00');
    const after = new Date('2026-11-21T09:00:00+08:00');
    // Sent now: the phase has moved past entry, so it is closed.
    expect(entryClosedReason(c, before)).toContain('截止');
    // Made before the deadline on a phone: taken; made after: refused with the date.
    expect(entryClosedReason(c, before, true)).toBeNull();
    expect(entryClosedReason(c, after, true)).toContain('2026-11-20 截止');
  });
});
