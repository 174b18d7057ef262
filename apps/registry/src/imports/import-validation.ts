import {
  Education,
  householdCreateSchema,
  type HouseholdCreate,
  type MemberInput,
  Health,
  HouseholdAttribute,
  HouseholdStatus,
  idNumberProblem,
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

/** A member row, validated by the API's own member schema (memberInputSchema), with its row. */
export type ImportMember = MemberInput & { row: number };

/** A household, validated by the API's own household schema (householdCreateSchema). */
export type ImportHousehold = Omit<HouseholdCreate, 'members' | 'helperId'> & {
  /** Row of the head. */
  row: number;
  rows: number[];
  number: string | null;
  members: ImportMember[];
};

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
}

/** A person row's labels as codes, for memberInputSchema; label errors go to the checker. */
function memberFields(c: RowChecker): Record<string, unknown> {
  const opt = (v: string | null) => v ?? undefined;
  return {
    name: c.text('name', true) ?? '',
    idNumber: c.text('idNumber', true) ?? '',
    relation: c.choice('relation', Relation, true),
    sex: opt(c.choice('sex', Sex)),
    education: opt(c.choice('education', Education)),
    schooling: opt(c.choice('schooling', Schooling)),
    health: opt(c.choice('health', Health)),
    labourCapacity: opt(c.choice('labourCapacity', LabourCapacity)),
    workStatus: opt(c.choice('workStatus', WorkStatus)),
    medicalInsurance: c.flag('medicalInsurance'),
    pensionInsurance: c.flag('pensionInsurance'),
  };
}

/** The head row's household labels as codes, for householdCreateSchema; the village must exist here. */
function householdFields(
  head: ParsedRow,
  c: RowChecker,
  villages: Set<string>,
): { fields: Record<string, unknown>; number: string | null } {
  const villageCode = c.text('villageCode', true);
  if (
    villageCode &&
    /^\d{12}$/.test(villageCode) &&
    regionLevelOf(villageCode) === 'VILLAGE' &&
    !villages.has(villageCode)
  ) {
    c.errors.push({ row: head.row, column: IMPORT_COLUMNS.villageCode, reason: `行政村 ${villageCode} 不存在` });
  }
  const number = c.text('number');
  if (number && !/^[0-9A-Za-z-]{1,20}$/.test(number))
    c.errors.push({ row: head.row, column: IMPORT_COLUMNS.number, reason: '户编号应为不超过20位的数字或字母' });
  const status = c.choice('status', HouseholdStatus) ?? 'POOR';
  if (status === 'CLOSED')
    c.errors.push({ row: head.row, column: IMPORT_COLUMNS.status, reason: '不能导入已销户的户' });
  const secondaryCauses: string[] = [];
  for (const part of (c.text('secondaryCauses') ?? '').split(/[、,，;；\s]+/).filter(Boolean)) {
    const code = PovertyCause.parse(part);
    if (!code)
      c.errors.push({ row: head.row, column: IMPORT_COLUMNS.secondaryCauses, reason: `"${part}" 不是有效的致贫原因` });
    else secondaryCauses.push(code);
  }
  const opt = <T>(v: T | null) => v ?? undefined;
  return {
    number,
    fields: {
      villageCode: villageCode ?? '',
      attribute: opt(c.choice('attribute', HouseholdAttribute)),
      mainCause: c.choice('mainCause', PovertyCause, true),
      secondaryCauses,
      address: opt(c.text('address')),
      status,
      identifiedYear: opt(c.year('identifiedYear')),
      exitYear: opt(c.year('exitYear')),
      monitoringType: opt(c.choice('monitoringType', MonitoringType)),
      monitoredSince: opt(c.text('monitoredSince')),
    },
  };
}

/** Where a schema issue lands in the sheet: a member's field on its row, a household field on the head row. */
function issueCell(path: PropertyKey[], headRow: number, memberRows: number[]): { row: number; column: string } {
  if (path[0] === 'members' && typeof path[1] === 'number') {
    const field = String(path[2] ?? 'relation');
    return {
      row: memberRows[path[1]] ?? headRow,
      column: IMPORT_COLUMNS[(field in IMPORT_COLUMNS ? field : 'relation') as ImportColumn],
    };
  }
  const field = String(path[0] ?? 'relation');
  return { row: headRow, column: IMPORT_COLUMNS[(field in IMPORT_COLUMNS ? field : 'relation') as ImportColumn] };
}

type Validated = { households: ImportHousehold[]; errors: RowError[] };

/** Checks every row at once: for tests and small files. */
export function validateImportRows(rows: ParsedRow[], villages: Set<string>): Validated {
  const v = new HouseholdAssembler(villages);
  for (const r of rows) v.add(r);
  v.finish();
  v.errors.sort((a, b) => a.row - b.row);
  return { households: v.take(), errors: v.errors };
}

type Pending = {
  headRow: number;
  number: string | null;
  fields: Record<string, unknown>;
  members: Record<string, unknown>[];
  rows: number[];
  bad: boolean;
};

/**
 * Checks rows one at a time and groups them into households (a 户主 row starts one), so an import
 * can validate and write a file as it reads it (#23: it never holds the whole file). A household is
 * imported whole or not at all: one bad row rejects its household, and its other rows are reported
 * as such, so no half-registered family ever reaches the registry. `take()` hands over the
 * households completed so far; `finish()` closes the last one.
 */
export class HouseholdAssembler {
  readonly errors: RowError[] = [];
  private readonly errorRows = new Set<number>();
  private households: ImportHousehold[] = [];
  /** The same person twice in one file: ID number → its first row. */
  private readonly seenInFile = new Map<string, number>();
  private current: Pending | null = null;

  constructor(private readonly villages: Set<string>) {}

  add(r: ParsedRow): void {
    const c = new RowChecker(r);
    for (const p of r.problems ?? []) c.errors.push({ row: r.row, column: p.column, reason: p.reason });
    const isHead = Relation.parse(r.values.relation ?? '') === 'HEAD';
    if (isHead) this.close();
    const household = isHead ? householdFields(r, c, this.villages) : null;
    const person = memberFields(c);
    if (household)
      this.current = {
        headRow: r.row,
        number: household.number,
        fields: household.fields,
        members: [],
        rows: [],
        bad: false,
      };
    else if (!this.current) {
      if (c.errors.length === 0)
        this.report([{ row: r.row, column: IMPORT_COLUMNS.relation, reason: '成员行之前没有户主行' }]);
      this.report(c.errors);
      return;
    }
    const open = this.current!;
    open.rows.push(r.row);
    open.members.push(person);
    // The same person twice in one file: the second row is refused (within a household the schema says so too).
    const id = normalizeIdNumber(r.values.idNumber ?? '');
    if (id && idNumberProblem(id) === null) {
      const first = this.seenInFile.get(id);
      if (first !== undefined)
        c.errors.push({ row: r.row, column: IMPORT_COLUMNS.idNumber, reason: `与第 ${first} 行身份证号重复` });
      else this.seenInFile.set(id, r.row);
    }
    if (c.errors.length > 0) open.bad = true;
    this.report(c.errors);
  }

  finish(): void {
    this.close();
  }

  /** The households completed since the last call. */
  take(): ImportHousehold[] {
    const out = this.households;
    this.households = [];
    return out;
  }

  private report(list: RowError[]): void {
    for (const e of list) {
      this.errors.push(e);
      this.errorRows.add(e.row);
    }
  }

  private close(): void {
    const h = this.current;
    if (!h) return;
    this.current = null;
    if (!h.bad) {
      // The API's own rules and messages: one household schema for the form, the API and this sheet.
      const parsed = householdCreateSchema.safeParse({ ...h.fields, members: h.members });
      if (parsed.success) {
        const { helperId: _none, members, ...household } = parsed.data;
        this.households.push({
          ...household,
          row: h.headRow,
          rows: h.rows,
          number: h.number,
          members: members.map((m, i) => ({ ...m, row: h.rows[i] })),
        });
        return;
      }
      this.report(
        parsed.error.issues.map((issue) => ({ ...issueCell(issue.path, h.headRow, h.rows), reason: issue.message })),
      );
    }
    for (const row of h.rows)
      if (!this.errorRows.has(row))
        this.report([{ row, column: IMPORT_COLUMNS.relation, reason: '同户其他行有误,整户未导入' }]);
  }
}
