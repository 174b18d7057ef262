/**
 * Column layout of the household import, close to the national registration form
 * (全国扶贫开发信息系统 贫困户登记表): one row per person; a row whose 与户主关系 is 户主 starts a
 * household and carries the household's fields; the rows after it are its members.
 * Headers are matched by these Chinese names (or the English keys).
 */
export const IMPORT_COLUMNS = {
  villageCode: '行政村代码',
  number: '户编号',
  name: '姓名',
  idNumber: '身份证号',
  relation: '与户主关系',
  sex: '性别',
  education: '文化程度',
  schooling: '在校生状况',
  health: '健康状况',
  labourCapacity: '劳动技能',
  workStatus: '务工状况',
  medicalInsurance: '是否参加城乡居民基本医疗保险',
  pensionInsurance: '是否参加城乡居民基本养老保险',
  attribute: '贫困户属性',
  mainCause: '主要致贫原因',
  secondaryCauses: '其他致贫原因',
  status: '户状态',
  identifiedYear: '识别年度',
  exitYear: '脱贫年度',
  monitoringType: '监测类型',
  monitoredSince: '纳入监测时间',
  address: '住址',
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;
export type ImportRow = Partial<Record<ImportColumn, string>>;

/** Columns every person row needs; the head row also needs villageCode and mainCause. */
export const REQUIRED_PERSON_COLUMNS: ImportColumn[] = ['name', 'idNumber', 'relation'];

const BY_HEADER = new Map<string, ImportColumn>(
  Object.entries(IMPORT_COLUMNS).flatMap(([key, label]) => [
    [label, key as ImportColumn],
    [key, key as ImportColumn],
  ]),
);

/** Maps a header cell to its column; unknown headers are ignored (local forms add columns). */
export function columnOf(header: string): ImportColumn | undefined {
  return BY_HEADER.get(
    header
      .replace(/^\uFEFF/, '')
      .replace(/\s+/g, '')
      .replace(/[（(].*[)）]$/, ''),
  );
}

export const HEADER_ROW: string[] = Object.values(IMPORT_COLUMNS);
