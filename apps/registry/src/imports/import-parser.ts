import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { parseCsvText } from './csv';
import { columnOf, type ImportColumn, type ImportRow } from './import-columns';

export interface ParsedRow {
  /** 1-based line in the sheet, counting the header as row 1 (what a clerk sees in Excel). */
  row: number;
  values: ImportRow;
}

export class ImportFormatError extends Error {}

function toRows(headers: string[], records: unknown[][], firstDataRow: number): ParsedRow[] {
  const columns = headers.map((h) => columnOf(String(h ?? '')));
  if (!columns.includes('idNumber') || !columns.includes('relation') || !columns.includes('name')) {
    throw new ImportFormatError('表头缺少必需的列: 姓名、身份证号、与户主关系 (见 README 的导入模板)');
  }
  const out: ParsedRow[] = [];
  records.forEach((record, i) => {
    const values: ImportRow = {};
    let any = false;
    columns.forEach((col, j) => {
      if (!col) return;
      const raw = record[j];
      const text = raw === null || raw === undefined ? '' : String(raw).trim();
      if (text !== '') {
        values[col as ImportColumn] = text;
        any = true;
      }
    });
    if (any) out.push({ row: firstDataRow + i, values });
  });
  return out;
}

export function parseCsv(buffer: Buffer): ParsedRow[] {
  const records = parseCsvText(buffer.toString('utf8'));
  if (records.length === 0) throw new ImportFormatError('文件为空');
  return toRows(records[0], records.slice(1), 2);
}

/** Reads the first worksheet. Cells are read as text (an ID number stays a string, not a float). */
export async function parseXlsx(buffer: Buffer): Promise<ParsedRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), { sharedStrings: 'cache', worksheets: 'emit' });
  let headers: string[] | null = null;
  const records: unknown[][] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1).map(cellText);
      if (!headers) headers = values.map(String);
      else records.push(values);
    }
    break;
  }
  if (!headers) throw new ImportFormatError('文件为空');
  return toRows(headers, records, 2);
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { text?: string; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return o.text;
    if (o.result !== undefined) return String(o.result);
  }
  if (typeof v === 'number' && Number.isFinite(v) && v > 1e15) return BigInt(Math.round(v)).toString();
  return String(v);
}

export async function parseImportFile(fileName: string, buffer: Buffer): Promise<ParsedRow[]> {
  if (/\.xlsx$/i.test(fileName) || buffer.subarray(0, 2).toString() === 'PK') return parseXlsx(buffer);
  return parseCsv(buffer);
}
