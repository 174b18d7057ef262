import { z } from 'zod';

/**
 * Field work without signal (#24): what a phone keeps, for how long, and the rules a record made
 * offline is checked by when it arrives. One place for the console, the API and the tests.
 */

/** The day's data kept on the phone (tasks, households, forms) is dropped after this many hours without a refresh. */
export const OFFLINE_KEEP_HOURS = 72;
/** A record may say it was made up to this many days before it arrives (a week in the mountains, with margin). */
export const RECORDED_AT_MAX_AGE_DAYS = 14;
/** A phone's clock may run ahead of the server's by this much before `recordedAt` counts as in the future. */
export const RECORDED_AT_SKEW_MS = 5 * 60_000;

/** One photo of evidence, as stored: compressed on the phone to this size at most. */
export const PHOTO_MAX_BYTES = 500 * 1024;
/** Photos one record may carry (the signed acknowledgement and a few documents). */
export const PHOTO_MAX_PER_RECORD = 6;
/** What a photo shows: the signed acknowledgement, or one of the documents checked at the door. */
export const PHOTO_LABELS = ['签字确认书', '户口本', '身份证明', '残疾证', '病历', '其他'] as const;
export type PhotoLabel = (typeof PHOTO_LABELS)[number];
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

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
  recordedAt: z.iso.datetime({ offset: true, message: '记录时间应为带时区的 ISO 8601 时间' }).optional(),
  /** Photos uploaded first (PUT /households/{id}/photos/{photoId}), attached to this record. */
  photoIds: z
    .array(z.uuid('照片 ID 无效'))
    .max(PHOTO_MAX_PER_RECORD, `每条记录最多 ${PHOTO_MAX_PER_RECORD} 张照片`)
    .optional(),
};
