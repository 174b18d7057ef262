/**
 * ID numbers, phone numbers and tokens never reach a log line (DESIGN.md: never in logs).
 * Structured fields are removed by path; free text is scrubbed by pattern as a second net.
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

const ID_NUMBER = /(?<!\d)\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const BEARER = /Bearer\s+[A-Za-z0-9\-_.]+/g;

export function scrub(text: string): string {
  return text.replace(ID_NUMBER, '[身份证号已隐藏]').replace(MOBILE, '[手机号已隐藏]').replace(BEARER, 'Bearer [hidden]');
}
