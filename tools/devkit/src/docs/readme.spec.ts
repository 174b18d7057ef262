import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { procedureTable, TABLE_BEGIN, TABLE_END } from './procedure-table';

describe("the README's procedure table", () => {
  it('is the procedure catalogue (libs/domain/src/procedures)', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const start = readme.indexOf(TABLE_BEGIN);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(-1);
    // On a difference, paste the expected table (printed by the matcher) between the markers.
    expect(readme.slice(start + TABLE_BEGIN.length, end).trim()).toBe(procedureTable());
  });

  it('would see a step out of order', () => {
    expect(procedureTable()).toContain(
      '村民主评议 (村) → 入户核实 (村) → 村级公示 (村) → 乡镇审核 (乡镇) → 县级审批 (县) → 公告 (县)',
    );
  });
});
