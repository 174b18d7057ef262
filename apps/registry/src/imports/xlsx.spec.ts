import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { parseImportFile } from './import-parser';
import { importColumns, importTemplateXlsx } from './import-template';
import { validateImportRows } from './import-validation';
import { DEFAULT_SHEET_LIMITS, readFirstSheet } from './xlsx';

const HEADER = [
  '行政村代码',
  '户编号',
  '姓名',
  '身份证号',
  '与户主关系',
  '健康状况',
  '主要致贫原因',
  '其他致贫原因',
  '户状态',
  '识别年度',
  '脱贫年度',
];

/** A workbook as another tool would write it: entries in an order of our choosing, inline strings, rich text. */
async function handMade(entries: [string, string][]): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, xml] of entries) zip.file(path, xml);
  return zip.generateAsync({ type: 'nodebuffer' });
}

const WORKBOOK = `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="说明" sheetId="1" r:id="rId2"/><sheet name="登记表" sheetId="2" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>`;
const STRINGS = `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><r><t>张</t></r><r><rPr><b/></rPr><t>大山</t></r><rPh><t>ちょう</t></rPh></si><si><t xml:space="preserve"> 户主 </t></si></sst>`;
const FIRST = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>身份证号</t></is></c></row>
<row r="4"><c r="A4" t="s"><v>1</v></c><c r="B4" t="s"><v>2</v></c><c r="C4"><v>1.10101199001011E+17</v></c><c r="D4" t="b"><v>1</v></c><c r="E4" t="str"><f>A4</f><v>张大山</v></c></row>
</sheetData></worksheet>`;
const OTHER = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>请勿导入</t></is></c></row></sheetData></worksheet>`;

describe('readFirstSheet', () => {
  it('reads the workbook’s first sheet with its real row numbers, whatever order the zip holds its parts in', async () => {
    // The sheet before the shared strings and the workbook: the order ExcelJS's streaming reader mishandled.
    const file = await handMade([
      ['xl/worksheets/sheet2.xml', OTHER],
      ['xl/worksheets/sheet1.xml', FIRST],
      ['xl/sharedStrings.xml', STRINGS],
      ['xl/_rels/workbook.xml.rels', RELS],
      ['xl/workbook.xml', WORKBOOK],
    ]);
    // sheet2.xml is listed first in the workbook, so it is the first sheet a clerk sees.
    expect(await readFirstSheet(file)).toEqual([{ row: 1, cells: ['请勿导入'] }]);

    const onlyRegister = await handMade([
      ['xl/worksheets/sheet1.xml', FIRST],
      ['xl/sharedStrings.xml', STRINGS],
      ['xl/_rels/workbook.xml.rels', RELS],
      ['xl/workbook.xml', WORKBOOK.replace(/<sheet name="说明"[^>]*\/>/, '')],
    ]);
    const rows = await readFirstSheet(onlyRegister);
    expect(rows.map((r) => r.row)).toEqual([1, 4]);
    expect(Array.from(rows[0].cells)).toEqual(['姓名', undefined, '身份证号']);
    // Rich text without its phonetic hint, spaces kept, a big number keeps its digits, booleans, a formula's cached text.
    expect(rows[1].cells).toEqual(['张大山', ' 户主 ', '110101199001011000', 'TRUE', '张大山']);
  });

  it('refuses a file that is not a zip with a Chinese reason', async () => {
    await expect(parseImportFile('a.xlsx', Buffer.from('PK not really'))).rejects.toThrow(/不是有效的 XLSX 文件/);
    // Not JSZip's English words and its URL (the clerk's message is Chinese only).
    const err = await parseImportFile('a.xlsx', Buffer.from('PK not really')).catch((e: Error) => e);
    expect((err as Error).message).not.toMatch(/https?:|zip|central directory|end of data/i);
  });

  it('the import template reads back as the import reads it: every column recognised, no rows', async () => {
    const cols = importColumns();
    expect(cols.find((c) => c.key === 'idNumber')).toEqual(
      expect.objectContaining({ header: '身份证号', required: 'person' }),
    );
    expect(cols.find((c) => c.key === 'relation')!.values).toContain('户主');
    expect(await parseImportFile('template.xlsx', await importTemplateXlsx())).toEqual([]);
  });

  it('reads every ExcelJS-written copy of the same workbook the same way (the streaming reader lost about 1 in 400)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('登记表');
    ws.addRow(HEADER);
    ws.addRow(['510101001001', '', '孙一', '110101199001011234', '户主', '', '因灾', '', '未脱贫', 2018, '']);
    ws.addRow([]);
    ws.addRow(['510101001001', '', '孙二', '123', '之子', '', '', '', '', '', '']);
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const rows = await parseImportFile('book.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      seen.add(JSON.stringify(rows));
    }
    expect([...seen]).toEqual([
      JSON.stringify([
        {
          row: 2,
          values: {
            villageCode: '510101001001',
            name: '孙一',
            idNumber: '110101199001011234',
            relation: '户主',
            mainCause: '因灾',
            status: '未脱贫',
            identifiedYear: '2018',
          },
        },
        { row: 4, values: { villageCode: '510101001001', name: '孙二', idNumber: '123', relation: '之子' } },
      ]),
    ]);
  }, 60_000);

  const sheetOf = (rows: string) =>
    handMade([
      [
        'xl/worksheets/sheet1.xml',
        `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
      ],
      ['xl/sharedStrings.xml', STRINGS],
      ['xl/_rels/workbook.xml.rels', RELS],
      ['xl/workbook.xml', WORKBOOK.replace(/<sheet name="说明"[^>]*\/>/, '')],
    ]);
  const header = `<row r="1">${HEADER.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;

  it('a formula Excel never calculated is a row error naming its column, not a value', async () => {
    const file = await sheetOf(
      `${header}<row r="2"><c r="A2" t="inlineStr"><is><t>411599001001</t></is></c><c r="C2" t="str"><f>CONCAT("张","三")</f></c><c r="D2"><f>A2*2</f><v>9</v></c><c r="E2" t="inlineStr"><is><t>户主</t></is></c></row>`,
    );
    const [row] = await parseImportFile('f.xlsx', file);
    expect(row.values.name).toBeUndefined();
    expect(row.values.idNumber).toBe('9'); // a formula with its cached value imports that value
    expect(row.problems).toEqual([{ column: '姓名', reason: expect.stringContaining('公式没有计算结果') }]);
    const { errors } = validateImportRows([row], new Set(['411599001001']));
    expect(errors[0]).toEqual({ row: 2, column: '姓名', reason: expect.stringContaining('公式没有计算结果') });
  });

  it('a cell past the template columns is a 400; too many rows or cells is a 413, before the sheet is all read', async () => {
    const xfd = await sheetOf(
      `${header}<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFD2" t="inlineStr"><is><t>y</t></is></c></row>`,
    );
    await expect(readFirstSheet(xfd)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('XFD 列超出导入模板的 64 列'),
    });
    const many = await sheetOf(
      Array.from({ length: 30 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>1</v></c></row>`).join(''),
    );
    await expect(readFirstSheet(many, { ...DEFAULT_SHEET_LIMITS, maxRows: 20 })).rejects.toMatchObject({
      status: 413,
      message: expect.stringContaining('20 行上限'),
    });
    await expect(readFirstSheet(many, { ...DEFAULT_SHEET_LIMITS, maxCells: 10 })).rejects.toMatchObject({
      status: 413,
      message: expect.stringContaining('10 个单元格上限'),
    });
    await expect(readFirstSheet(many, { ...DEFAULT_SHEET_LIMITS, maxSheetBytes: 100 })).rejects.toMatchObject({
      status: 413,
    });
    await expect(
      parseImportFile('w.csv', Buffer.from(`${HEADER.join(',')}\n${'a,'.repeat(80)}b\n`)),
    ).rejects.toMatchObject({ status: 400 });
  });
});
