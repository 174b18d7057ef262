/**
 * 数据清洗: the rules the county's registry is checked against in the cleaning window (policy
 * `cleaningRules` names those in force; all by default). Each finding is a problem item for the
 * township. The SQL of each rule is the registry's (CleaningStore); the ID-number rule runs here.
 */
import { idNumberBirthDate, idNumberSex } from './id-number';

export const CLEANING_RULES = {
  head_count: '户内户主人数不为 1',
  id_mismatch: '出生日期或性别与身份证号不符',
  schooling_age: '在校情况与年龄不符',
  income_sum: '各项收入合计与人均纯收入不一致',
  poor_income_high: '未脱贫户人均纯收入高于贫困标准 3 倍',
  exited_need_unmet: '已脱贫户两不愁三保障未全部达标',
  no_assessment: '本年度无收入核实记录',
  no_helper: '未落实帮扶责任人',
  duplicate_person: '同村两名成员姓名与出生日期相同',
} as const;
export type CleaningRule = keyof typeof CLEANING_RULES;
export const CLEANING_RULE_CODES = Object.keys(CLEANING_RULES) as CleaningRule[];
/** A problem the province's system fed back (its XLSX layout: household number, problem, description). */
export const PROVINCE_RULE = 'province';

/** What a member's ID number says against what the registry holds; null when they agree. */
export function idMismatch(idNumber: string, m: { birthDate: Date; sex: string }): string | null {
  const born = idNumberBirthDate(idNumber)?.toISOString().slice(0, 10) ?? null;
  const recorded = m.birthDate.toISOString().slice(0, 10);
  const problems: string[] = [];
  // The finding names the recorded date only: the ID number's own digits are not repeated anywhere.
  if (born && born !== recorded) problems.push(`出生日期 ${recorded} 与身份证号不符`);
  if (idNumberSex(idNumber) !== m.sex) problems.push('性别与身份证号不符');
  return problems.length ? problems.join('; ') : null;
}

/** The ages (on 1 September of the year) at which each schooling fits; outside them it is a finding. */
export const SCHOOLING_AGES: Record<string, [number, number]> = {
  PRESCHOOL: [3, 6],
  PRIMARY: [6, 14],
  JUNIOR: [11, 17],
  SENIOR: [14, 20],
  VOCATIONAL: [14, 22],
  HIGHER: [16, 35],
};
/** Compulsory schooling (九年义务教育): a child of these ages recorded as not in school is a finding. */
export const COMPULSORY_AGES: [number, number] = [7, 15];
