/**
 * 12-digit administrative division code: 2 province, 2 city, 2 county, 3 township, 3 village.
 * A user's jurisdiction is the significant prefix of their region's code.
 */
export const REGION_LEVELS = ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

const PREFIX_LENGTH: Record<RegionLevel, number> = {
  PROVINCE: 2,
  CITY: 4,
  COUNTY: 6,
  TOWNSHIP: 9,
  VILLAGE: 12,
};

export const REGION_CODE_PATTERN = /^\d{12}$/;

export function regionLevelOf(code: string): RegionLevel {
  if (code.slice(9) !== '000') return 'VILLAGE';
  if (code.slice(6, 9) !== '000') return 'TOWNSHIP';
  if (code.slice(4, 6) !== '00') return 'COUNTY';
  if (code.slice(2, 4) !== '00') return 'CITY';
  return 'PROVINCE';
}

/** The whole country: an admin's region. Its jurisdiction is every code, not the province "00". */
export const NATIONAL_CODE = '000000000000';

export function jurisdictionPrefix(code: string): string {
  if (code === NATIONAL_CODE) return '';
  return code.slice(0, PREFIX_LENGTH[regionLevelOf(code)]);
}

/** True when `target` lies inside the region `scope` (a region is inside itself). */
export function isWithin(scope: string, target: string): boolean {
  return target.startsWith(jurisdictionPrefix(scope));
}

export function parentCodeOf(code: string): string | null {
  const level = regionLevelOf(code);
  const idx = REGION_LEVELS.indexOf(level);
  if (idx === 0) return null;
  const keep = PREFIX_LENGTH[REGION_LEVELS[idx - 1]];
  return code.slice(0, keep).padEnd(12, '0');
}

export function ancestorCode(code: string, level: RegionLevel): string {
  return code.slice(0, PREFIX_LENGTH[level]).padEnd(12, '0');
}

/** 西部大开发 provinces: 内蒙古, 广西, 重庆, 四川, 贵州, 云南, 西藏, 陕西, 甘肃, 青海, 宁夏, 新疆. */
export const WESTERN_PROVINCES = new Set(['15', '45', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65']);

export function isWesternProvince(code: string): boolean {
  return WESTERN_PROVINCES.has(code.slice(0, 2));
}
