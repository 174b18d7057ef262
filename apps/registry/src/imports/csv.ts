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

/**
 * The same records, read from a stream of text a piece at a time (#23: an import never holds its
 * whole file). A piece is cut after its last line break outside quotes (a line break inside a
 * quoted field follows an odd number of quotes since the record began; `""` counts two) and parsed
 * by `parseCsvText`; the rest waits for the next piece.
 */
export async function* csvRecords(pieces: AsyncIterable<string>): AsyncGenerator<string[][]> {
  let carry = '';
  let quotes = 0; // quotes seen in `carry` since its last cut
  for await (const piece of pieces) {
    const text = carry + piece;
    let cut = -1;
    for (let i = carry.length; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) quotes++;
      else if (c === 10 && quotes % 2 === 0) cut = i;
    }
    if (cut < 0) {
      carry = text;
      continue;
    }
    const records = parseCsvText(text.slice(0, cut + 1));
    carry = text.slice(cut + 1);
    quotes = 0;
    for (let i = 0; i < carry.length; i++) if (carry.charCodeAt(i) === 34) quotes++;
    if (records.length > 0) yield records;
  }
  const last = parseCsvText(carry);
  if (last.length > 0) yield last;
}
