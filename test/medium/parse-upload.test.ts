import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSheetUpload } from '../../apps/registry/src/imports/parse-upload';
import type { SheetLimits } from '../../apps/registry/src/imports/xlsx';

jest.setTimeout(120_000);

const LIMITS: SheetLimits = { maxRows: 50_000, maxColumns: 8, maxCells: 400_000, maxSheetBytes: 64 * 1048576 };

/** Uploads are parsed in child processes: a bounded number at once, every inflated part capped (#22). */
describe('the upload parser processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jz-parse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function workbook(rows: number): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问题');
    ws.addRow(['户编号', '问题', '问题描述']);
    for (let i = 0; i < rows; i++)
      ws.addRow([`41159900100100${String(i % 1000).padStart(3, '0')}`, '收入核算有误', `第 ${i} 行`]);
    const path = join(dir, `rows-${rows}.xlsx`);
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return path;
  }

  it('two parse at once; a third upload meanwhile is refused with 503 and a retry time, not queued in memory', async () => {
    const path = await workbook(20_000);
    const results = await Promise.allSettled([
      parseSheetUpload(path, LIMITS, 256),
      parseSheetUpload(path, LIMITS, 256),
      parseSheetUpload(path, LIMITS, 256),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = (results[2] as PromiseRejectedResult).reason as {
      status: number;
      code: string;
      details: { retryAfterSeconds: number };
    };
    expect([refused.status, refused.code, refused.details.retryAfterSeconds]).toEqual([503, 'IMPORT_BUSY', 30]);
    expect((results[0] as PromiseFulfilledResult<unknown[]>).value.length).toBe(20_001);
    // Free again once they are done.
    expect((await parseSheetUpload(path, LIMITS, 256)).length).toBe(20_001);
  });

  it('a shared-strings part that inflates past the cap is a 413 in Chinese, the registry untouched', async () => {
    const zip = new JSZip();
    zip.file(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    );
    zip.file('xl/workbook.xml', '<workbook><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>');
    zip.file(
      'xl/_rels/workbook.xml.rels',
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    );
    zip.file(
      'xl/worksheets/sheet1.xml',
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
    );
    zip.file('xl/sharedStrings.xml', `<sst><si><t>${'啊'.repeat((70 * 1048576) / 3)}</t></si></sst>`);
    const path = join(dir, 'bomb.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    await expect(parseSheetUpload(path, LIMITS, 256)).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/sharedStrings\.xml 解压后超过 64 MB 上限|内存超过/),
    });
  });

  it('a sheet wider than the list is a 400 naming the column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('宽');
    ws.addRow(Array.from({ length: 12 }, (_, i) => `列${i}`));
    const path = join(dir, 'wide.xlsx');
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    await expect(parseSheetUpload(path, LIMITS, 256)).rejects.toMatchObject({
      status: 400,
      code: 'IMPORT_TOO_WIDE',
      message: expect.stringContaining('I 列超出导入模板的 8 列'),
    });
  });
});
