import JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

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

export class XlsxFormatError extends Error {}

/** The sheet is larger than an import may be: `status` 413 (rows, cells, size) or 400 (a column past the template's). */
export class ImportLimitError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

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

function parse(
  xml: string,
  onOpen: (tag: SaxesTagPlain) => void,
  onText: (text: string) => void,
  onClose: (name: string) => void,
): void {
  const parser = new SaxesParser();
  parser.on('opentag', onOpen);
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => onClose(tag.name));
  parser.on('error', (err) => {
    // The parser's own (English) words stay in the server's log, not in the clerk's message.
    throw new XlsxFormatError(
      `XLSX 内容无法解析 (工作表格式错误, 第 ${err.message.match(/Line: (\d+)/)?.[1] ?? '?'} 行附近): 请用 Excel 或 WPS 另存为 .xlsx 后重新上传`,
    );
  });
  parser.write(xml).close();
}

/** Local name of a tag (sheets written by some tools carry a namespace prefix, e.g. `x:row`). */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * A part of the workbook as text, refused past `maxBytes` inflated (#22: every part is capped, not
 * only the sheet: a 613 kB file's shared strings inflated to 1.7 GB). The declared size is checked
 * first; a part lying about it is caught after inflation, inside the parser process's heap cap.
 */
async function text(zip: JSZip, path: string, maxBytes = Number.POSITIVE_INFINITY): Promise<string | null> {
  const file = zip.file(path);
  if (!file) return null;
  const tooBig = () => new ImportLimitError(413, `${path} 解压后超过 ${Math.round(maxBytes / 1048576)} MB 上限`);
  const declared = declaredSize(file);
  if (declared !== null && declared > maxBytes) throw tooBig();
  const out = await file.async('string');
  if (out.length > maxBytes) throw tooBig();
  return out;
}

/** The first sheet in the workbook's own order (xl/workbook.xml), resolved through its relationships. */
async function firstSheetPath(zip: JSZip, maxBytes = 8 * 1048576): Promise<string> {
  const workbook = await text(zip, 'xl/workbook.xml', maxBytes);
  const rels = await text(zip, 'xl/_rels/workbook.xml.rels', maxBytes);
  let firstId: string | undefined;
  if (workbook) {
    parse(
      workbook,
      (tag) => {
        if (firstId === undefined && local(tag.name) === 'sheet') firstId = String(tag.attributes['r:id'] ?? '');
      },
      () => undefined,
      () => undefined,
    );
  }
  let target: string | undefined;
  if (firstId && rels) {
    parse(
      rels,
      (tag) => {
        if (local(tag.name) === 'Relationship' && tag.attributes.Id === firstId) target = String(tag.attributes.Target);
      },
      () => undefined,
      () => undefined,
    );
  }
  if (target) {
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
    if (zip.file(path)) return path;
  }
  const fallback = Object.keys(zip.files)
    .filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p))
    .sort((a, b) => parseInt(a.replace(/\D/g, ''), 10) - parseInt(b.replace(/\D/g, ''), 10))[0];
  if (!fallback) throw new XlsxFormatError('XLSX 文件中没有工作表');
  return fallback;
}

async function sharedStrings(zip: JSZip, maxBytes: number): Promise<string[]> {
  const xml = await text(zip, 'xl/sharedStrings.xml', maxBytes);
  if (!xml) return [];
  const out: string[] = [];
  let current = '';
  let inText = false;
  let phonetic = 0; // <rPh> runs are pronunciation hints, not the cell's text
  parse(
    xml,
    (tag) => {
      const name = local(tag.name);
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    (t) => {
      if (inText) current += t;
    },
    (name) => {
      const n = local(name);
      if (n === 't') inText = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'si') out.push(current);
    },
  );
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

/** Declared uncompressed size of a zip entry (JSZip keeps it from the central directory). */
function declaredSize(file: JSZip.JSZipObject): number | null {
  const size = (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
  return typeof size === 'number' ? size : null;
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
