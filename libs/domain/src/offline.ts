import { z } from 'zod';
import { PHOTO_MAX_PER_RECORD, type PhotoType, RECORDED_AT_MAX_AGE_DAYS, RECORDED_AT_SKEW_MS } from './offline-policy';

export * from './offline-policy';

/**
 * Field work without signal (#24): what a phone keeps, for how long, and the rules a record made
 * offline is checked by when it arrives. One place for the console, the API and the tests.
 */

/** The image type told by the content's first bytes (never by the file name or the declared type); null if none. */
export function sniffImageType(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((x, i) => b[i] === x)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Why a record's `recordedAt` cannot be taken (null: it can): in the future beyond the clock skew, or
 * older than the longest stay without signal. The step's own rules then run at that moment.
 */
export function recordedAtIssue(recordedAt: string, now: Date = new Date()): string | null {
  const at = Date.parse(recordedAt);
  if (Number.isNaN(at)) return '记录时间无效';
  if (at > now.getTime() + RECORDED_AT_SKEW_MS) return '记录时间晚于当前时间: 请校准手机时间后重新提交';
  if (at < now.getTime() - RECORDED_AT_MAX_AGE_DAYS * 86_400_000)
    return `记录时间早于 ${RECORDED_AT_MAX_AGE_DAYS} 天前: 离线记录须在 ${RECORDED_AT_MAX_AGE_DAYS} 天内同步`;
  return null;
}

/** The two fields a form submitted from a phone may carry: when it was made, and its photos (already uploaded). */
export const offlineRecordFields = {
  /** When the record was made on the phone (ISO 8601 with offset); absent: now. */
  recordedAt: z.iso
    .datetime({ offset: true, message: '记录时间应为带时区的 ISO 8601 时间' })
    .superRefine((at, ctx) => {
      const issue = recordedAtIssue(at);
      if (issue) ctx.addIssue({ code: 'custom', message: issue });
    })
    .optional(),
  /** Photos uploaded first (PUT /households/{id}/photos/{photoId}), attached to this record. */
  photoIds: z
    .array(z.uuid('照片 ID 无效'))
    .max(PHOTO_MAX_PER_RECORD, `每条记录最多 ${PHOTO_MAX_PER_RECORD} 张照片`)
    .optional(),
};
