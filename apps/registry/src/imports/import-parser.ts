import { parseCsvText } from './csv';
import { columnOf, type ImportColumn, type ImportRow } from './import-columns';
import { readFirstSheet, XlsxFormatError } from './xlsx';

export interface ParsedRow {
  /** 1-based line in the sheet, counting the header as row 1 (what a clerk sees in Excel). */
  row: number;
  values: ImportRow;
}

export class ImportFormatError extends Error {}

function toRows(headers: string[], records: { row: number; cells: unknown[] }[]): ParsedRow[] {
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
    if (any) out.push({ row: record.row, values });
  }
  return out;
}

export function parseCsv(buffer: Buffer): ParsedRow[] {
  const records = parseCsvText(buffer.toString('utf8'));
  if (records.length === 0) throw new ImportFormatError('文件为空');
  return toRows(records[0], records.slice(1).map((cells, i) => ({ row: i + 2, cells })));
}

/** Reads the first worksheet; every cell as text (an ID number stays a string, not a float). */
export async function parseXlsx(buffer: Buffer): Promise<ParsedRow[]> {
  let rows;
  try {
    rows = await readFirstSheet(buffer);
  } catch (err) {
    if (err instanceof XlsxFormatError) throw new ImportFormatError(err.message);
    throw err;
  }
  const header = rows.find((r) => r.cells.some((c) => c !== undefined && c.trim() !== ''));
  if (!header) throw new ImportFormatError('文件为空');
  return toRows(Array.from(header.cells, (c) => c ?? ''), rows.filter((r) => r.row > header.row));
}

export async function parseImportFile(fileName: string, buffer: Buffer): Promise<ParsedRow[]> {
  if (/\.xlsx$/i.test(fileName) || buffer.subarray(0, 2).toString() === 'PK') return parseXlsx(buffer);
  return parseCsv(buffer);
}
