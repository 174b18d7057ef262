/**
 * 18-digit resident identity number (公民身份号码), GB 11643-1999.
 * Layout: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence
 * (odd = male, even = female), 1 check character (ISO 7064 MOD 11-2, 'X' for 10).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type IdNumberProblem = 'format' | 'birthDate' | 'checkDigit';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Returns null when valid, else the first problem found. `today` bounds the birth date. */
export function idNumberProblem(raw: string, today: Date = new Date()): IdNumberProblem | null {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const birth = idNumberBirthDate(id);
  if (!birth || birth.getTime() > today.getTime() || birth.getUTCFullYear() < 1890) return 'birthDate';
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return 'checkDigit';
  return null;
}

export function isValidIdNumber(raw: string, today?: Date): boolean {
  return idNumberProblem(raw, today) === null;
}

/** Upper-cases a trailing x and strips spaces: people type both. */
export function normalizeIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function idNumberBirthDate(id: string): Date | null {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!y || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  // Rejects 0230 and similar: Date rolls them over into the next month.
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date;
}

export function idNumberSex(id: string): 'MALE' | 'FEMALE' {
  return Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE';
}

/** Lists show first 6 + last 4 (DESIGN.md: masked everywhere but an authorised detail view). */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** Builds a valid number from its parts; used by the seed and by tests. */
export function composeIdNumber(addressCode: string, birth: Date, sequence: number): string {
  const ymd =
    String(birth.getUTCFullYear()).padStart(4, '0') +
    String(birth.getUTCMonth() + 1).padStart(2, '0') +
    String(birth.getUTCDate()).padStart(2, '0');
  const first17 = addressCode.slice(0, 6) + ymd + String(sequence % 1000).padStart(3, '0');
  return first17 + idNumberCheckChar(first17);
}

/** What to tell the person who typed it, in Chinese. */
export const ID_NUMBER_PROBLEM_LABELS: Record<IdNumberProblem, string> = {
  format: '身份证号应为18位数字(末位可为X)',
  birthDate: '身份证号中的出生日期无效',
  checkDigit: '身份证号校验码错误(GB 11643)',
};
