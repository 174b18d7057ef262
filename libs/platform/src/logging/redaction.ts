/**
 * ID numbers, phone numbers and tokens never reach a log line (DESIGN.md: never in logs).
 * Structured fields are removed by path; free text is scrubbed by pattern as a second net, which
 * also finds a number written with spaces, dashes or dots between its digits, or percent-encoded.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.idNumber',
  '*.phone',
  '*.accessToken',
  '*.password',
  '*.secret',
  'idNumber',
  'phone',
  'accessToken',
];

/**
 * A digit of class `cls`, as written or percent-encoded (`%34` is 4): a query string logged as
 * sent still gets its ID numbers hidden.
 */
const digit = (cls: string) => `(?:[${cls}]|%3[${cls}])`;
/** What people put between digit groups: spaces, dashes, dots, slashes, and their encodings. */
const SEP = '(?:[ \\t.\\-_/]|%20|%2[dDeEfF]|%09|\\+)?';
const seq = (...parts: string[]) => parts.join(SEP);
const D = digit('0-9');
const rep = (n: number) => Array.from({ length: n }, () => D);
const idBody = seq(
  ...rep(6),
  `(?:${seq(digit('1'), digit('89'))}|${seq(digit('2'), digit('0'))})`,
  ...rep(2),
  `(?:${seq(digit('0'), digit('1-9'))}|${seq(digit('1'), digit('0-2'))})`,
  `(?:${seq(digit('0'), digit('1-9'))}|${seq(digit('12'), D)}|${seq(digit('3'), digit('01'))})`,
  ...rep(3),
  '(?:[0-9Xx]|%3[0-9]|%58|%78)',
);
const NOT_BEFORE = '(?<![0-9]|%3)';
const NOT_AFTER = '(?![0-9]|%3[0-9])';
const ID_NUMBER = new RegExp(`${NOT_BEFORE}${idBody}${NOT_AFTER}`, 'g');
const MOBILE = new RegExp(
  `${NOT_BEFORE}(?:(?:\\+|%2[bB])?${seq(digit('8'), digit('6'))}${SEP})?${seq(digit('1'), digit('3-9'), ...rep(9))}${NOT_AFTER}`,
  'g',
);
const BEARER = /Bearer\s+[A-Za-z0-9\-_.]+/g;

export function scrub(text: string): string {
  return text
    .replace(ID_NUMBER, '[身份证号已隐藏]')
    .replace(MOBILE, '[手机号已隐藏]')
    .replace(BEARER, 'Bearer [hidden]');
}
