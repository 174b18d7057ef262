import { parse } from 'csv-parse/sync';
import { csvRecords, parseCsvText } from './csv';

describe('CSV parser', () => {
  it('reads quotes, escaped quotes, embedded commas and line breaks, CRLF and a BOM', () => {
    const text = '\uFEFF姓名,住址,备注\r\n张三,"东坪村,3组","说""好的""\n第二行"\r\n李四,,\n';
    expect(parseCsvText(text)).toEqual([
      ['姓名', '住址', '备注'],
      ['张三', '东坪村,3组', '说"好的"\n第二行'],
      ['李四', '', ''],
    ]);
  });

  it('agrees with csv-parse on a generated file', () => {
    const cells = ['a', '"q"', 'x,y', '', '中文', 'l\nm', ' s '];
    const lines = Array.from({ length: 200 }, (_, r) =>
      Array.from({ length: 5 }, (_, c) => {
        const v = cells[(r * 5 + c) % cells.length];
        return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      }).join(','),
    );
    const text = `${lines.join('\n')}\n`;
    expect(parseCsvText(text)).toEqual(parse(text, { relax_column_count: true }));
  });

  it('skips blank lines and keeps a last line without a newline', () => {
    expect(parseCsvText('a,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads the same records from a stream cut anywhere: inside quotes, between "" and across CRLF', async () => {
    const text =
      '\uFEFF姓名,住址,备注\r\n张三,"东坪村,3组","说""好的""\n第二行"\r\n李四,,\n王五,"a\r\nb",c\r\n赵六,x,"末行"';
    const whole = parseCsvText(text);
    for (const size of [1, 2, 3, 5, 7, 11, 64]) {
      async function* pieces() {
        for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
      }
      const got: string[][] = [];
      for await (const records of csvRecords(pieces())) got.push(...records);
      expect({ size, got }).toEqual({ size, got: whole });
    }
  });
});
