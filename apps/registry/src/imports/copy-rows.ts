import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export type CopyValue = string | number | boolean | Date | null | undefined | string[] | object;

/** Text-format COPY escaping: backslash, tab, newline, carriage return; \N for NULL. */
function field(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (Array.isArray(v)) s = '{' + v.map((x) => '"' + String(x).replace(/["\\]/g, '\\$&') + '"').join(',') + '}';
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Streams rows into `table (columns)` with COPY FROM STDIN, in chunks of a few hundred kB. */
export async function copyRows(client: PoolClient, table: string, columns: string[], rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  function* chunks() {
    let buf = '';
    for (const row of rows) {
      buf += row.map(field).join('\t') + '\n';
      if (buf.length > 256 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), stream);
}
