import ExcelJS from 'exceljs';
import {
  Education,
  Health,
  HouseholdAttribute,
  HouseholdStatus,
  LabourCapacity,
  MonitoringType,
  PovertyCause,
  Relation,
  Schooling,
  Sex,
  WorkStatus,
} from '@jingzhun/domain';
import { IMPORT_COLUMNS, REQUIRED_PERSON_COLUMNS, type ImportColumn } from './import-columns';

const VALUES: Partial<Record<ImportColumn, { labels: Record<string, string> }>> = {
  relation: Relation,
  sex: Sex,
  education: Education,
  schooling: Schooling,
  health: Health,
  labourCapacity: LabourCapacity,
  workStatus: WorkStatus,
  attribute: HouseholdAttribute,
  mainCause: PovertyCause,
  secondaryCauses: PovertyCause,
  status: HouseholdStatus,
  monitoringType: MonitoringType,
};

const NOTES: Partial<Record<ImportColumn, string>> = {
  villageCode: '12 位行政村代码; 户主行必填',
  number: '留空则自动编号',
  idNumber: '18 位居民身份证号 (校验码须正确)',
  relation: '户主行开始一户, 其后各行为该户成员',
  mainCause: '户主行必填',
  secondaryCauses: '最多两项, 用顿号或逗号分隔',
  medicalInsurance: '是 / 否',
  pensionInsurance: '是 / 否',
  identifiedYear: '四位年份, 如 2016',
  exitYear: '四位年份; 已脱贫户填写',
  monitoredSince: 'YYYY-MM-DD; 监测对象填写',
};

export interface ImportColumnInfo {
  key: ImportColumn;
  header: string;
  required: 'person' | 'head' | null;
  note: string | null;
  values: string[];
}

/** The import's columns as a clerk fills them: header, whether required, what it takes. */
export function importColumns(): ImportColumnInfo[] {
  return (Object.entries(IMPORT_COLUMNS) as [ImportColumn, string][]).map(([key, header]) => ({
    key,
    header,
    required: REQUIRED_PERSON_COLUMNS.includes(key)
      ? 'person'
      : key === 'villageCode' || key === 'mainCause'
        ? 'head'
        : null,
    note: NOTES[key] ?? null,
    values: VALUES[key] ? Object.values(VALUES[key].labels) : [],
  }));
}

/** 导入模板: the header row to fill, and a sheet that explains each column and its allowed values. */
export async function importTemplateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const cols = importColumns();
  const sheet = wb.addWorksheet('农户信息');
  sheet.columns = cols.map((c) => ({ header: c.header, key: c.key, width: Math.max(10, c.header.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 30 },
    { header: '是否必填', key: 'required', width: 12 },
    { header: '说明', key: 'note', width: 40 },
    { header: '可填的值', key: 'values', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of cols)
    help.addRow({
      header: c.header,
      required: c.required === 'person' ? '每行必填' : c.required === 'head' ? '户主行必填' : '',
      note: c.note ?? '',
      values: c.values.join('、'),
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
