/**
 * RFC 4180 CSV: quoted fields with "" escapes, commas and line breaks inside quotes, CRLF or LF,
 * an optional UTF-8 BOM. A tight single pass: the import path reads hundreds of thousands of rows.
 */
export function parseCsvText(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const QUOTE = 34;
  const COMMA = 44;
  const LF = 10;
  const CR = 13;
  while (i < n) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      let out = '';
      let start = ++i;
      while (true) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          // Unterminated quote: take the rest as the field.
          out += text.slice(start);
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          out += text.slice(start, q + 1);
          i = start = q + 2;
          continue;
        }
        out += text.slice(start, q);
        i = q + 1;
        break;
      }
      value = out;
      // Skip anything between the closing quote and the delimiter.
      while (i < n && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    row.push(value);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i === n) row.push('');
      continue;
    }
    if (c === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
