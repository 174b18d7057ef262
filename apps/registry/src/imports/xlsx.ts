import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { declaredSize, firstSheetPath, ImportLimitError, local, sharedStrings, XlsxFormatError } from './xlsx-parts';

/**
 * Reads the first worksheet of an .xlsx as rows of cell texts, keyed by the row number a clerk
 * sees in Excel. Deterministic by construction: the zip is opened whole (the upload is already in
 * memory), the shared strings are read before the sheet, and the sheet's XML is streamed through
 * a SAX parser, so a 60 000-row sheet never becomes 660 000 cell objects.
 *
 * Why not ExcelJS's streaming WorkbookReader: when a sheet precedes xl/sharedStrings.xml in the
 * zip (ExcelJS's and Excel's own writers both do that) it parks the sheet in a temp file, and
 * about one read in 400 of the very same bytes it loses the entries after the sheet and answers
 * shared-string indexes instead of text, or throws on `this.model.sheets`. A race in a parser is
 * not something an import may depend on.
 */
export interface SheetRow {
  row: number;
  cells: string[];
  /** Columns (0-based) holding a formula Excel never calculated: no cached value to import. */
  uncalculated?: number[];
}

export { ImportLimitError, XlsxFormatError } from './xlsx-parts';

export interface SheetLimits {
  maxRows: number;
  maxColumns: number;
  maxCells: number;
  /** Uncompressed bytes of the sheet's XML (a zip bomb inflates far past its file size). */
  maxSheetBytes: number;
}

export const DEFAULT_SHEET_LIMITS: SheetLimits = {
  maxRows: 200_000,
  maxColumns: 64,
  maxCells: 4_000_000,
  maxSheetBytes: 512 * 1024 * 1024,
};

/** "BC" for 54: the column name a clerk sees. */
export function columnName(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** "BC12" → 54 (0-based column index). */
function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/**
 * A number cell as Excel shows it. Integers stay as written (an ID number stored as a number keeps
 * its 18 digits when the writer kept them); scientific notation is expanded in decimal, not through
 * a float, so "1.10101199001011E+17" reads 110101199001011000 as in Excel, not ...1008.
 */
function numberText(v: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?[eE]\+?(\d+)$/.exec(v);
  if (!m) return v;
  const [, sign, int, frac = '', exp] = m;
  const shift = Number(exp);
  if (shift < frac.length) return v; // still has a fraction: leave it to validation to refuse
  return sign + (int + frac + '0'.repeat(shift - frac.length)).replace(/^0+(?=\d)/, '');
}

export async function readFirstSheet(buffer: Buffer, limits: SheetLimits = DEFAULT_SHEET_LIMITS): Promise<SheetRow[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch (err) {
    void err; // JSZip's English message (with its URL) is not the clerk's business
    throw new XlsxFormatError(
      '不是有效的 XLSX 文件: 文件已损坏或并非 Excel 工作簿。请用导入模板填写, 另存为 .xlsx 或 .csv 后重新上传',
    );
  }
  const sheetFile = zip.file(await firstSheetPath(zip));
  if (!sheetFile) throw new XlsxFormatError('XLSX 文件中没有工作表');
  const size = declaredSize(sheetFile);
  if (size !== null && size > limits.maxSheetBytes)
    throw new ImportLimitError(
      413,
      `工作表解压后 ${Math.round(size / 1048576)} MB, 超过 ${Math.round(limits.maxSheetBytes / 1048576)} MB 上限`,
    );
  const strings = await sharedStrings(zip, limits.maxSheetBytes);

  const rows: SheetRow[] = [];
  let row: SheetRow | null = null;
  let nextRow = 1;
  let col = 0;
  let type = 'n';
  let value = '';
  let capture = false; // inside <v> or an inline string's <t>
  let formula = false;
  let cached = false;
  let cells = 0;
  let inflated = 0;
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on('error', (err) => {
    failure ??= new XlsxFormatError(`XLSX 内容无法解析: ${err.message}`);
  });
  parser.on('opentag', (tag) => {
    switch (local(tag.name)) {
      case 'row': {
        const r = Number(tag.attributes.r);
        row = { row: Number.isInteger(r) && r > 0 ? r : nextRow, cells: [] };
        nextRow = row.row + 1;
        col = 0;
        if (rows.length >= limits.maxRows)
          throw new ImportLimitError(413, `文件超过 ${limits.maxRows} 行上限, 请按乡镇拆分后分批导入`);
        break;
      }
      case 'c': {
        const ref = String(tag.attributes.r ?? '');
        if (ref) col = columnIndex(ref);
        if (col >= limits.maxColumns)
          throw new ImportLimitError(
            400,
            `第 ${row?.row ?? nextRow} 行的 ${columnName(col)} 列超出导入模板的 ${limits.maxColumns} 列, 请删除模板以外的列`,
          );
        if (++cells > limits.maxCells) throw new ImportLimitError(413, `文件超过 ${limits.maxCells} 个单元格上限`);
        type = String(tag.attributes.t ?? 'n');
        value = '';
        formula = false;
        cached = false;
        break;
      }
      case 'f':
        formula = true;
        break;
      case 'v':
      case 't':
        capture = true;
        cached = true;
        break;
    }
  });
  parser.on('text', (t) => {
    if (capture) value += t;
  });
  parser.on('cdata', (t) => {
    if (capture) value += t;
  });
  parser.on('closetag', (tag) => {
    switch (local(tag.name)) {
      case 'v':
      case 't':
        capture = false;
        break;
      case 'c': {
        if (!row) break;
        let cell: string;
        if (formula && !cached) {
          row.uncalculated ??= [];
          row.uncalculated.push(col);
          cell = '';
        } else if (type === 's') cell = strings[Number(value)] ?? '';
        else if (type === 'b') cell = value === '1' ? 'TRUE' : 'FALSE';
        else if (type === 'n' && value !== '') cell = numberText(value);
        else cell = value; // str (a formula's cached text), inlineStr, e (an error such as #N/A)
        row.cells[col] = cell;
        col++;
        break;
      }
      case 'row':
        if (row) rows.push(row);
        row = null;
        break;
    }
  });
  // The sheet's XML is inflated and parsed chunk by chunk: never one string of the whole sheet.
  await new Promise<void>((resolve, reject) => {
    const stream = sheetFile.nodeStream('nodebuffer');
    const decoder = new TextDecoder('utf-8');
    stream.on('data', (chunk: Buffer) => {
      try {
        inflated += chunk.length;
        if (inflated > limits.maxSheetBytes)
          throw new ImportLimitError(413, `工作表解压后超过 ${Math.round(limits.maxSheetBytes / 1048576)} MB 上限`);
        parser.write(decoder.decode(chunk, { stream: true }));
        if (failure) throw failure;
      } catch (err) {
        (stream as unknown as { pause(): void }).pause();
        reject(err);
      }
    });
    stream.on('error', (err: Error) => reject(new XlsxFormatError(`XLSX 内容无法解析: ${err.message}`)));
    stream.on('end', () => {
      try {
        parser.write(decoder.decode()).close();
        if (failure) throw failure;
        resolve();
      } catch (err) {
        reject(err);
      }
    });
  });
  return rows;
}
