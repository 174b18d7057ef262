import type JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/* The workbook's parts as the sheet reader needs them: XML events, capped inflation, the first sheet's path, shared strings. */

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

export function parse(
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
export const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * A part of the workbook as text, refused past `maxBytes` inflated (#22: every part is capped, not
 * only the sheet: a 613 kB file's shared strings inflated to 1.7 GB). The declared size is checked
 * first; a part lying about it is caught after inflation, inside the parser process's heap cap.
 */
export async function text(zip: JSZip, path: string, maxBytes = Number.POSITIVE_INFINITY): Promise<string | null> {
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
export async function firstSheetPath(zip: JSZip, maxBytes = 8 * 1048576): Promise<string> {
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

export async function sharedStrings(zip: JSZip, maxBytes: number): Promise<string[]> {
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

/** Declared uncompressed size of a zip entry (JSZip keeps it from the central directory). */
export function declaredSize(file: JSZip.JSZipObject): number | null {
  const size = (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
  return typeof size === 'number' ? size : null;
}
