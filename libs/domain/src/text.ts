import { z } from 'zod';
import { cstDate, cstYear } from './china-time';

/**
 * Text and dates as the registry keeps them (#22): NFKC-normalised (full-width letters and digits
 * folded), no control, format or bidi-override characters (U+202E would reverse a name in every
 * list), no lone surrogates; a name holds at least one letter or Han character; every date and year
 * inside a window the work can have (2013, the start of 精准扶贫, to next year).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;
/** Line breaks and tabs are allowed in free text; nothing else of Cc/Cf. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is to refuse control characters, so it names them
const INVISIBLE_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

const normalised = (s: string) => s.normalize('NFKC').trim();

/** A person's name: 1–`max` characters after normalising, visible, with a letter or Han character. */
export function personName(max = 50, label = '姓名') {
  return z
    .string({ error: `请填写${label}` })
    .transform(normalised)
    .pipe(
      z
        .string()
        .min(1, `${label}不能为空`)
        .max(max, `${label}最多 ${max} 个字`)
        .refine((s) => !INVISIBLE.test(s), `${label}含有不可见或控制字符`)
        .refine((s) => /\p{L}/u.test(s), `${label}应含有文字`),
    );
}

/** Free text (a reason, a comment, an objection): normalised, no invisible or direction-changing characters. */
export function plainText(min: number, max: number, tooShort = `至少 ${min} 个字`) {
  return z
    .string()
    .transform(normalised)
    .pipe(
      z
        .string()
        .min(min, tooShort)
        .max(max, `最多 ${max} 个字`)
        .refine((s) => !INVISIBLE_IN_TEXT.test(s), '含有不可见或控制字符'),
    );
}

/** The earliest year of the registry's work; nothing is dated before it. */
export const FIRST_YEAR = 2013;

/** A year of the work: from 2013 to next year (China Standard Time). */
export function workYear() {
  return z
    .number({ error: '年度应为数字' })
    .int('年度应为整数')
    .min(FIRST_YEAR, `年度不早于 ${FIRST_YEAR}`)
    .refine((y) => y <= cstYear() + 1, { error: () => `年度不晚于 ${cstYear() + 1}` });
}

/** A calendar date of the work: YYYY-MM-DD from 2013-01-01 to `aheadDays` after today (CST). */
export function workDate(aheadDays = 366) {
  return z.iso
    .date('日期格式应为 YYYY-MM-DD')
    .refine((d) => d >= `${FIRST_YEAR}-01-01`, `日期不早于 ${FIRST_YEAR}-01-01`)
    .refine((d) => d <= cstDate(new Date(Date.now() + aheadDays * 86_400_000)), {
      error: () => `日期不晚于 ${cstDate(new Date(Date.now() + aheadDays * 86_400_000))}`,
    });
}
