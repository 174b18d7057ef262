import {
  Education,
  Health,
  HouseholdAttribute,
  HouseholdStatus,
  idNumberBirthDate,
  idNumberProblem,
  idNumberSex,
  LabourCapacity,
  MonitoringType,
  normalizeIdNumber,
  PovertyCause,
  regionLevelOf,
  Relation,
  Schooling,
  Sex,
  WorkStatus,
} from '@jingzhun/domain';
import { IMPORT_COLUMNS, type ImportColumn } from './import-columns';
import type { ParsedRow } from './import-parser';

export interface RowError {
  row: number;
  /** The column's Chinese header, as the clerk sees it. */
  column: string;
  reason: string;
}

export interface ImportMember {
  row: number;
  name: string;
  idNumber: string;
  relation: string;
  sex: string;
  birthDate: Date;
  education: string | null;
  schooling: string | null;
  health: string;
  labourCapacity: string;
  workStatus: string | null;
  medicalInsurance: boolean;
  pensionInsurance: boolean;
}

export interface ImportHousehold {
  /** Row of the head. */
  row: number;
  rows: number[];
  villageCode: string;
  number: string | null;
  status: 'APPLICANT' | 'POOR' | 'EXITED' | 'MONITORED';
  attribute: string;
  mainCause: string;
  secondaryCauses: string[];
  identifiedYear: number | null;
  exitYear: number | null;
  monitoringType: string | null;
  monitoredSince: string | null;
  address: string | null;
  members: ImportMember[];
}

type Labelled = { parse(v: string): string | undefined; labels: Record<string, string> };

const YES = new Set(['是', 'Y', 'y', 'yes', 'true', '1', '已参加']);
const NO = new Set(['否', 'N', 'n', 'no', 'false', '0', '未参加']);

class RowChecker {
  readonly errors: RowError[] = [];
  constructor(private readonly r: ParsedRow) {}

  private fail(col: ImportColumn, reason: string) {
    this.errors.push({ row: this.r.row, column: IMPORT_COLUMNS[col], reason });
  }

  text(col: ImportColumn, required = false): string | null {
    const v = this.r.values[col];
    if (!v) {
      if (required) this.fail(col, '不能为空');
      return null;
    }
    return v;
  }

  choice(col: ImportColumn, options: Labelled, required = false): string | null {
    const v = this.text(col, required);
    if (v === null) return null;
    const code = options.parse(v);
    if (!code) this.fail(col, `"${v}" 不是有效取值 (可选: ${Object.values(options.labels).join('、')})`);
    return code ?? null;
  }

  flag(col: ImportColumn): boolean {
    const v = this.text(col);
    if (v === null) return false;
    if (YES.has(v)) return true;
    if (!NO.has(v)) this.fail(col, `"${v}" 应为 是 或 否`);
    return false;
  }

  year(col: ImportColumn): number | null {
    const v = this.text(col);
    if (v === null) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 2013 || n > 2100) {
      this.fail(col, `"${v}" 应为2013年以后的四位年度`);
      return null;
    }
    return n;
  }

  idNumber(): string | null {
    const v = this.text('idNumber', true);
    if (v === null) return null;
    const id = normalizeIdNumber(v);
    const problem = idNumberProblem(id);
    // Never echo the number itself into the report.
    if (problem === 'format') this.fail('idNumber', '应为18位数字(末位可为X)');
    else if (problem === 'birthDate') this.fail('idNumber', '出生日期无效');
    else if (problem === 'checkDigit') this.fail('idNumber', '校验码错误(GB 11643)');
    return problem ? null : id;
  }
}

function member(r: ParsedRow, c: RowChecker): ImportMember | null {
  const name = c.text('name', true);
  const idNumber = c.idNumber();
  const relation = c.choice('relation', Relation, true);
  const sex = c.choice('sex', Sex);
  if (sex && idNumber && idNumberSex(idNumber) !== sex) c.errors.push({ row: r.row, column: IMPORT_COLUMNS.sex, reason: '与身份证号不符' });
  const m = {
    row: r.row,
    name: name ?? '',
    idNumber: idNumber ?? '',
    relation: relation ?? '',
    sex: sex ?? (idNumber ? idNumberSex(idNumber) : ''),
    birthDate: idNumber ? idNumberBirthDate(idNumber)! : new Date(0),
    education: c.choice('education', Education),
    schooling: c.choice('schooling', Schooling),
    health: c.choice('health', Health) ?? 'HEALTHY',
    labourCapacity: c.choice('labourCapacity', LabourCapacity) ?? 'NORMAL',
    workStatus: c.choice('workStatus', WorkStatus),
    medicalInsurance: c.flag('medicalInsurance'),
    pensionInsurance: c.flag('pensionInsurance'),
  };
  return c.errors.length === 0 ? m : null;
}

function household(head: ParsedRow, c: RowChecker, villages: Set<string>): Omit<ImportHousehold, 'members' | 'rows'> | null {
  const villageCode = c.text('villageCode', true);
  if (villageCode && (!/^\d{12}$/.test(villageCode) || regionLevelOf(villageCode) !== 'VILLAGE')) {
    c.errors.push({ row: head.row, column: IMPORT_COLUMNS.villageCode, reason: '应为12位行政村代码' });
  } else if (villageCode && !villages.has(villageCode)) {
    c.errors.push({ row: head.row, column: IMPORT_COLUMNS.villageCode, reason: `行政村 ${villageCode} 不存在` });
  }
  const number = c.text('number');
  if (number && !/^[0-9A-Za-z-]{1,20}$/.test(number)) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.number, reason: '户编号应为不超过20位的数字或字母' });
  const status = (c.choice('status', HouseholdStatus) ?? 'POOR') as ImportHousehold['status'] | 'CLOSED';
  if (status === 'CLOSED') c.errors.push({ row: head.row, column: IMPORT_COLUMNS.status, reason: '不能导入已销户的户' });
  const mainCause = c.choice('mainCause', PovertyCause, true);
  const secondaryRaw = c.text('secondaryCauses');
  const secondaryCauses: string[] = [];
  if (secondaryRaw) {
    for (const part of secondaryRaw.split(/[、,，;；\s]+/).filter(Boolean)) {
      const code = PovertyCause.parse(part);
      if (!code) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.secondaryCauses, reason: `"${part}" 不是有效的致贫原因` });
      else if (code === mainCause) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.secondaryCauses, reason: '不能与主要致贫原因相同' });
      else secondaryCauses.push(code);
    }
    if (secondaryCauses.length > 2) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.secondaryCauses, reason: '其他致贫原因最多2项' });
  }
  const identifiedYear = c.year('identifiedYear');
  const exitYear = c.year('exitYear');
  const monitoringType = c.choice('monitoringType', MonitoringType);
  if (status === 'POOR' && identifiedYear === null) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.identifiedYear, reason: '未脱贫户须填写识别年度' });
  if (status === 'EXITED' && exitYear === null) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.exitYear, reason: '已脱贫户须填写脱贫年度' });
  if (status === 'MONITORED' && monitoringType === null) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.monitoringType, reason: '监测对象须填写监测类型' });
  const monitoredSince = c.text('monitoredSince');
  if (monitoredSince !== null && !(/^\d{4}-\d{2}-\d{2}$/.test(monitoredSince) && !Number.isNaN(Date.parse(monitoredSince)))) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.monitoredSince, reason: '纳入监测时间格式应为 YYYY-MM-DD' });
  else if (status === 'MONITORED' && monitoredSince === null) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.monitoredSince, reason: '监测对象须填写纳入监测时间' });
  if (identifiedYear !== null && exitYear !== null && exitYear < identifiedYear) c.errors.push({ row: head.row, column: IMPORT_COLUMNS.exitYear, reason: '脱贫年度不能早于识别年度' });
  if (c.errors.length > 0) return null;
  return {
    row: head.row,
    villageCode: villageCode!,
    number,
    status: status as ImportHousehold['status'],
    attribute: c.choice('attribute', HouseholdAttribute) ?? 'GENERAL',
    mainCause: mainCause!,
    secondaryCauses,
    identifiedYear,
    exitYear,
    monitoringType,
    monitoredSince,
    address: c.text('address'),
  };
}

/**
 * Checks every row and groups rows into households (a 户主 row starts one). A household is
 * imported whole or not at all: one bad row rejects its household, and its other rows are
 * reported as such, so no half-registered family ever reaches the registry.
 */
export function validateImportRows(rows: ParsedRow[], villages: Set<string>): { households: ImportHousehold[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const errorRows = new Set<number>();
  const report = (list: RowError[]) => {
    for (const e of list) {
      errors.push(e);
      errorRows.add(e.row);
    }
  };
  const households: ImportHousehold[] = [];
  const seenInFile = new Map<string, number>();
  let current: { head: ImportHousehold | null; rows: number[]; bad: boolean } | null = null;

  const close = () => {
    if (!current) return;
    if (current.head && !current.bad) households.push(current.head);
    else if (current.bad) {
      for (const row of current.rows) {
        if (!errorRows.has(row)) report([{ row, column: IMPORT_COLUMNS.relation, reason: '同户其他行有误,整户未导入' }]);
      }
    }
    current = null;
  };

  for (const r of rows) {
    const c = new RowChecker(r);
    const isHead = Relation.parse(r.values.relation ?? '') === 'HEAD';
    if (isHead) {
      close();
      const h = household(r, c, villages);
      const m = member(r, c);
      current = { head: h && m ? { ...h, rows: [r.row], members: [m] } : null, rows: [r.row], bad: !(h && m) };
    } else {
      const m = member(r, c);
      if (!current) {
        if (c.errors.length === 0) report([{ row: r.row, column: IMPORT_COLUMNS.relation, reason: '成员行之前没有户主行' }]);
        report(c.errors);
        continue;
      }
      current.rows.push(r.row);
      if (m && current.head) {
        current.head.members.push(m);
        current.head.rows.push(r.row);
      } else current.bad = true;
    }
    if (c.errors.length === 0 && r.values.idNumber) {
      const id = normalizeIdNumber(r.values.idNumber);
      const first = seenInFile.get(id);
      if (first !== undefined) {
        c.errors.push({ row: r.row, column: IMPORT_COLUMNS.idNumber, reason: `与第 ${first} 行身份证号重复` });
        if (current) current.bad = true;
      } else seenInFile.set(id, r.row);
    }
    report(c.errors);
  }
  close();
  errors.sort((a, b) => a.row - b.row);
  return { households, errors };
}
