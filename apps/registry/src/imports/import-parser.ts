import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { csvRecords, parseCsvText } from './csv';
import { columnOf, IMPORT_COLUMNS, type ImportColumn, type ImportRow } from './import-columns';
import {
  columnName,
  DEFAULT_SHEET_LIMITS,
  ImportLimitError,
  readFirstSheet,
  XlsxFormatError,
  type SheetLimits,
} from './xlsx';

export { ImportLimitError, type SheetLimits } from './xlsx';

export interface ParsedRow {
  /** 1-based line in the sheet, counting the header as row 1 (what a clerk sees in Excel). */
  row: number;
  values: ImportRow;
  /** What the file itself got wrong in this row (a formula never calculated): row errors, column named. */
  problems?: { column: string; reason: string }[];
}

export class ImportFormatError extends Error {}

const UNCALCULATED = '公式没有计算结果 (文件未在 Excel 中重新计算保存): 请在 Excel 中打开并保存, 或将公式粘贴为数值';

function toRows(headers: string[], records: { row: number; cells: unknown[]; uncalculated?: number[] }[]): ParsedRow[] {
  const columns = headers.map((h) => columnOf(String(h ?? '')));
  if (!columns.includes('idNumber') || !columns.includes('relation') || !columns.includes('name')) {
    throw new ImportFormatError('表头缺少必需的列: 姓名、身份证号、与户主关系 (见 README 的导入模板)');
  }
  const out: ParsedRow[] = [];
  for (const record of records) {
    const values: ImportRow = {};
    let any = false;
    columns.forEach((col, j) => {
      if (!col) return;
      const raw = record.cells[j];
      const text = raw === null || raw === undefined ? '' : String(raw).trim();
      if (text !== '') {
        values[col as ImportColumn] = text;
        any = true;
      }
    });
    const problems = (record.uncalculated ?? [])
      .filter((j) => columns[j])
      .map((j) => ({ column: IMPORT_COLUMNS[columns[j]!], reason: UNCALCULATED }));
    if (any || problems.length) out.push({ row: record.row, values, ...(problems.length ? { problems } : {}) });
  }
  return out;
}

/** Rows, columns and cells of a CSV against the same limits as a sheet. */
function checkCsv(records: string[][], limits: SheetLimits): void {
  if (records.length > limits.maxRows + 1)
    throw new ImportLimitError(413, `文件超过 ${limits.maxRows} 行上限, 请按乡镇拆分后分批导入`);
  let cells = 0;
  records.forEach((r, i) => {
    if (r.length > limits.maxColumns)
      throw new ImportLimitError(
        400,
        `第 ${i + 1} 行的 ${columnName(limits.maxColumns)} 列超出导入模板的 ${limits.maxColumns} 列, 请删除模板以外的列`,
      );
    cells += r.length;
  });
  if (cells > limits.maxCells) throw new ImportLimitError(413, `文件超过 ${limits.maxCells} 个单元格上限`);
}

export function parseCsv(buffer: Buffer, limits: SheetLimits = DEFAULT_SHEET_LIMITS): ParsedRow[] {
  const records = parseCsvText(buffer.toString('utf8'));
  if (records.length === 0) throw new ImportFormatError('文件为空');
  checkCsv(records, limits);
  return toRows(
    records[0],
    records.slice(1).map((cells, i) => ({ row: i + 2, cells })),
  );
}

/** Reads the first worksheet; every cell as text (an ID number stays a string, not a float). */
export async function parseXlsx(buffer: Buffer, limits: SheetLimits = DEFAULT_SHEET_LIMITS): Promise<ParsedRow[]> {
  let rows: Awaited<ReturnType<typeof readFirstSheet>>;
  try {
    rows = await readFirstSheet(buffer, limits);
  } catch (err) {
    if (err instanceof XlsxFormatError) throw new ImportFormatError(err.message);
    throw err;
  }
  const header = rows.find((r) => r.cells.some((c) => c !== undefined && c.trim() !== ''));
  if (!header) throw new ImportFormatError('文件为空');
  return toRows(
    Array.from(header.cells, (c) => c ?? ''),
    rows.filter((r) => r.row > header.row),
  );
}

export async function parseImportFile(
  fileName: string,
  buffer: Buffer,
  limits: SheetLimits = DEFAULT_SHEET_LIMITS,
): Promise<ParsedRow[]> {
  if (/\.xlsx$/i.test(fileName) || buffer.subarray(0, 2).toString() === 'PK') return parseXlsx(buffer, limits);
  return parseCsv(buffer, limits);
}

/** No cap on a CSV's rows and cells: it is read a piece at a time (the columns' cap stays). */
export const STREAMED_CSV_LIMITS: SheetLimits = {
  ...DEFAULT_SHEET_LIMITS,
  maxRows: Number.MAX_SAFE_INTEGER,
  maxCells: Number.MAX_SAFE_INTEGER,
};

/**
 * A file's rows in pieces as it is read (#23 §1, `npm run import` and the bench): a CSV streamed
 * from disk a megabyte at a time, so memory holds a piece, never the file; an XLSX is a zip that is
 * read whole (within `limits`), then handed on in pieces the same way.
 */
export async function* streamImportFile(
  path: string,
  limits: SheetLimits = STREAMED_CSV_LIMITS,
  pieceRows = 5000,
): AsyncGenerator<ParsedRow[]> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0).finally(() => handle.close());
  if (/\.xlsx$/i.test(path) || magic.toString() === 'PK') {
    const rows = await parseXlsx(await readFile(path), { ...DEFAULT_SHEET_LIMITS, maxColumns: limits.maxColumns });
    for (let i = 0; i < rows.length; i += pieceRows) yield rows.slice(i, i + pieceRows);
    return;
  }
  let header: string[] | null = null;
  let next = 2; // the sheet's row of the next record (the header is row 1)
  let count = 0;
  let cells = 0;
  for await (const records of csvRecords(createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }))) {
    const body = header ? records : records.slice(1);
    header ??= records[0];
    count += body.length;
    if (count > limits.maxRows)
      throw new ImportLimitError(413, `文件超过 ${limits.maxRows} 行上限, 请按乡镇拆分后分批导入`);
    for (const r of records) {
      if (r.length > limits.maxColumns)
        throw new ImportLimitError(
          400,
          `${columnName(limits.maxColumns)} 列之后还有内容, 超出导入模板的 ${limits.maxColumns} 列, 请删除模板以外的列`,
        );
      cells += r.length;
    }
    if (cells > limits.maxCells) throw new ImportLimitError(413, `文件超过 ${limits.maxCells} 个单元格上限`);
    const rows = toRows(
      header,
      body.map((c, i) => ({ row: next + i, cells: c })),
    );
    next += body.length;
    if (rows.length > 0) yield rows;
  }
  if (!header) throw new ImportFormatError('文件为空');
}
