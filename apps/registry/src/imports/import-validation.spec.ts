import { composeIdNumber } from '@jingzhun/domain';
import type { ParsedRow } from './import-parser';
import { validateImportRows } from './import-validation';

const V = '411599001001';
const villages = new Set([V]);
const id = (seq: number, year = 1970) => composeIdNumber('411599', new Date(Date.UTC(year, 0, 1)), seq);

function rows(...values: Record<string, string>[]): ParsedRow[] {
  return values.map((v, i) => ({ row: i + 2, values: v }));
}

const head = (seq: number, extra: Record<string, string> = {}) => ({
  villageCode: V,
  name: '张三',
  idNumber: id(seq),
  relation: '户主',
  mainCause: '因病',
  status: '未脱贫',
  identifiedYear: '2016',
  ...extra,
});

describe('import validation', () => {
  it('groups member rows under the preceding head and reads Chinese labels', () => {
    const r = validateImportRows(
      rows(head(1), { name: '李四', idNumber: id(2), relation: '配偶', health: '长期慢性病' }, head(3)),
      villages,
    );
    expect(r.errors).toEqual([]);
    expect(r.households).toHaveLength(2);
    expect(r.households[0].members.map((m) => m.relation)).toEqual(['HEAD', 'SPOUSE']);
    expect(r.households[0].members[1].health).toBe('CHRONIC');
    expect(r.households[0].mainCause).toBe('ILLNESS');
    expect(r.households[0].status).toBe('POOR');
  });

  it('rejects the whole household when one member row is bad, reporting row and column', () => {
    const bad = id(5).slice(0, 17) + (id(5)[17] === '1' ? '2' : '1');
    const r = validateImportRows(rows(head(4), { name: '王五', idNumber: bad, relation: '之子' }, head(6)), villages);
    expect(r.households.map((h) => h.row)).toEqual([4]);
    expect(r.errors).toEqual([
      { row: 2, column: '与户主关系', reason: '同户其他行有误,整户未导入' },
      { row: 3, column: '身份证号', reason: '身份证号校验码错误(GB 11643)' },
    ]);
  });

  it('never writes the ID number into a reason', () => {
    const r = validateImportRows(rows(head(7), { name: '赵六', idNumber: id(7), relation: '之女' }), villages);
    expect(r.errors.find((e) => e.row === 3)?.reason).toBe('与第 2 行身份证号重复');
    expect(JSON.stringify(r.errors)).not.toContain(id(7));
  });

  it('checks village, causes, years and status rules on the head row', () => {
    const r = validateImportRows(
      rows(
        head(8, { villageCode: '411599001999' }),
        head(9, { mainCause: '因懒' }),
        head(10, { status: '已脱贫', identifiedYear: '2018', exitYear: '2016' }),
        head(11, { secondaryCauses: '因病、缺资金' }),
      ),
      villages,
    );
    expect(r.households).toHaveLength(0);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '行政村代码'],
      [3, '主要致贫原因'],
      [4, '脱贫年度'],
      [5, '其他致贫原因'],
    ]);
  });

  it('applies the API’s own household and member rules and messages (householdCreateSchema)', () => {
    const r = validateImportRows(
      rows(head(14, { status: '监测对象', monitoringType: '边缘易致贫户', monitoredSince: '2999-01-01' }), head(15), {
        name: '孙八',
        idNumber: id(16),
        relation: '之子',
        sex: '男',
      }),
      villages,
    );
    expect(r.households).toHaveLength(0);
    expect(r.errors).toEqual([
      { row: 2, column: '纳入监测时间', reason: '纳入监测时间不能在将来' },
      { row: 3, column: '与户主关系', reason: '同户其他行有误,整户未导入' },
      { row: 4, column: '性别', reason: '性别与身份证号不符' },
    ]);
  });

  it('reports member rows that come before any head', () => {
    const r = validateImportRows(rows({ name: '钱七', idNumber: id(12), relation: '之子' }, head(13)), villages);
    expect(r.errors).toEqual([{ row: 2, column: '与户主关系', reason: '成员行之前没有户主行' }]);
    expect(r.households).toHaveLength(1);
  });
});
