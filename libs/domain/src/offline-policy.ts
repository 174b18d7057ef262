/**
 * Field work without signal (#24), the figures: what a phone keeps and for how long, how old a record made
 * offline may be, a photo's size. No schema library here: the console's first load imports this file.
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
