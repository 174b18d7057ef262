import ExcelJS from 'exceljs';
import type { RowError } from './import-validation';

/** The per-row error report a clerk downloads, fixes the source against, and imports again. */
export async function errorReportXlsx(fileName: string, errors: RowError[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入错误');
  ws.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 28 },
    { header: '原因', key: 'reason', width: 60 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const e of errors) ws.addRow(e);
  ws.insertRow(1, [`文件: ${fileName}`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
