import ExcelJS from 'exceljs';

export interface ExportColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null;
}

/**
 * One list as an XLSX: a title line saying what was filtered and when, the header row, the rows.
 * A list cut at `limit` says so in its title line (the office narrows the filter and exports again).
 */
export async function listXlsx<T>(
  sheet: string,
  filterLine: string,
  columns: ExportColumn<T>[],
  rows: T[],
  truncatedAt: number | null,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow([`${filterLine}${truncatedAt !== null ? ` (仅导出前 ${truncatedAt} 条, 请缩小筛选范围)` : ''}`]);
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width ?? Math.max(10, c.header.length * 2 + 2);
  });
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r) ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
