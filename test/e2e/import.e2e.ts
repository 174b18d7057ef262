import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HouseholdImporter } from '../../apps/registry/src/imports/household-importer';
import { STREAMED_CSV_LIMITS, streamImportFile } from '../../apps/registry/src/imports/import-parser';
import { Client } from 'pg';
import { A, B, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(60_000);

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

describe('household import (CSV and XLSX)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let pg: Client;
  let auth: { authorization: string };
  const people = Array.from({ length: 6 }, () => nextIdNumber());
  const bad = `${nextIdNumber().slice(0, 17)}Y`;

  const rows = [
    [A.village, '', '张大山', people[0], '户主', '健康', '因病', '缺技术、缺资金', '未脱贫', '2016', ''],
    [A.village, '', '刘小花', people[1], '配偶', '长期慢性病', '', '', '', '', ''],
    [A.village2, '', '陈立', people[2], '户主', '残疾', '因残', '', '已脱贫', '2015', '2019'],
    [A.village2, '', '陈小', bad, '之子', '', '', '', '', '', ''],
    [A.village, '', '赵明', people[3], '户主', '', '缺劳力', '', '未脱贫', '2017', ''],
    [A.village, '', '赵红', people[4], '之女', '', '', '', '', '', ''],
  ];
  const csv = `${[HEADER.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`;

  beforeAll(async () => {
    db = await freshDatabase('import');
    await seedFixtures(db.url);
    registry = await startRegistry(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    auth = { authorization: `Bearer ${await registry.token(users.countyA)}` };
  });
  afterAll(async () => {
    await registry?.close();
    await pg?.end();
    await db?.drop();
  });

  it('commits good households, reports bad rows with row, column and reason', async () => {
    const res = await registry.http
      .post('/imports/households?wait=true')
      .set(auth)
      .attach('file', Buffer.from(csv), '登记表.csv');
    expect(res.status).toBe(200);
    expect(res.body.households).toBe(2);
    expect(res.body.okRows).toBe(4);
    expect(res.body.errorRows).toBe(2);
    expect(res.body.errors).toEqual([
      { row: 4, column: '与户主关系', reason: '同户其他行有误,整户未导入' },
      { row: 5, column: '身份证号', reason: '身份证号应为18位数字(末位可为X)' },
    ]);
    const { rows: hs } = await pg.query(
      `SELECT status, identified_year, secondary_causes, member_count FROM registry.household ORDER BY head_name`,
    );
    expect(hs).toHaveLength(2);
    expect(hs.find((h) => h.member_count === 2)).toMatchObject({
      status: 'POOR',
      identified_year: 2016,
      secondary_causes: ['LACK_OF_SKILLS', 'LACK_OF_FUNDS'],
    });
  });

  it('importing the same file again duplicates no one', async () => {
    const res = await registry.http
      .post('/imports/households?wait=true')
      .set(auth)
      .attach('file', Buffer.from(csv), '登记表.csv');
    expect(res.body.households).toBe(0);
    expect(res.body.skippedHouseholds).toBe(2);
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM registry.member`);
    expect(rows[0].n).toBe(4);
  });

  it('a person already registered elsewhere is reported, not duplicated', async () => {
    const clash = [
      HEADER.join(','),
      [A.village2, '', '新户主', people[5], '户主', '', '因学', '', '未脱贫', '2020', ''].join(','),
      [A.village2, '', '张大山', people[0], '之父', '', '', '', '', '', ''].join(','),
    ].join('\n');
    const res = await registry.http
      .post('/imports/households?wait=true')
      .set(auth)
      .attach('file', Buffer.from(clash), 'clash.csv');
    expect(res.body.households).toBe(0);
    expect(res.body.errors.find((e: { row: number }) => e.row === 3).reason).toMatch(/^此人已在户 \d+ 登记$/);
  });

  it('reads XLSX with ID numbers as text, and serves the error report as XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('登记表');
    ws.addRow(HEADER);
    ws.addRow([A.village, '', '孙一', people[5], '户主', '', '因灾', '', '未脱贫', 2018, '']);
    ws.addRow([A.village, '', '孙二', '123', '之子', '', '', '', '', '', '']);
    ws.addRow([B.village, '', '越界', nextIdNumber(), '户主', '', '因灾', '', '未脱贫', 2018, '']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    // A row in another county's village makes the whole upload a 403 naming the row.
    const outside = await registry.http
      .post('/imports/households?wait=true')
      .set(auth)
      .attach('file', file, 'book.xlsx');
    expect(outside.status).toBe(403);
    expect(outside.body.error.message).toContain('第 4 行');

    ws.spliceRows(4, 1);
    const inside = Buffer.from(await wb.xlsx.writeBuffer());
    const started = await registry.http.post('/imports/households').set(auth).attach('file', inside, 'book.xlsx');
    expect(started.status).toBe(202);
    let job: any;
    for (let i = 0; i < 100; i++) {
      job = (await registry.http.get(`/imports/${started.body.id}`).set(auth)).body;
      if (job.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('DONE');
    expect(job.errorRows).toBe(2);
    const report = await registry.http
      .get(`/imports/${started.body.id}/errors.xlsx`)
      .set(auth)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(report.status).toBe(200);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(report.body);
    const sheet = read.worksheets[0];
    const lines = sheet
      .getSheetValues()
      .filter(Boolean)
      .map((r: any) => r.slice(1));
    expect(lines).toContainEqual([3, '身份证号', '身份证号应为18位数字(末位可为X)']);
    expect(JSON.stringify(lines)).not.toContain(people[5]);
  });

  it('npm run import streams: read in pieces of 2 rows, households across pieces, the same rows and errors', async () => {
    const fresh = Array.from({ length: 5 }, () => nextIdNumber());
    const wrong = `${nextIdNumber().slice(0, 17)}Y`;
    const streamed = [
      [A.village, '', '孙一', fresh[0], '户主', '健康', '因病', '', '未脱贫', '2016', ''],
      [A.village, '', '孙二', fresh[1], '配偶', '', '', '', '', '', ''],
      [A.village, '', '孙三', fresh[2], '之子', '', '', '', '', '', ''],
      [A.village2, '', '"周四"', fresh[3], '户主', '', '因残', '', '未脱贫', '2017', ''],
      [A.village2, '', '周五', wrong, '之女', '', '', '', '', '', ''],
      [A.village, '', '吴六', fresh[4], '户主', '', '缺劳力', '', '未脱贫', '2018', ''],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'jz-import-'));
    const path = join(dir, '分批.csv');
    writeFileSync(path, `\uFEFF${[HEADER.join(','), ...streamed.map((r) => r.join(','))].join('\r\n')}\r\n`);
    try {
      const report = await registry.app.get(HouseholdImporter).run(streamImportFile(path, STREAMED_CSV_LIMITS, 2), {
        actor: { id: 'admin', role: 'admin', regionCode: '000000000000' },
        fileName: '分批.csv',
        origin: 'import',
        batchSize: 1,
      });
      expect(report).toMatchObject({ status: 'DONE', totalRows: 6, households: 2, okRows: 4, errorRows: 2 });
      expect(report.errors).toEqual([
        { row: 5, column: '与户主关系', reason: '同户其他行有误,整户未导入' },
        { row: 6, column: '身份证号', reason: '身份证号应为18位数字(末位可为X)' },
      ]);
      const { rows: job } = await pg.query(
        `SELECT status, total_rows, ok_rows, error_rows FROM registry.import_job WHERE id = $1`,
        [report.importId],
      );
      expect(job[0]).toMatchObject({ status: 'DONE', total_rows: 6, ok_rows: 4, error_rows: 2 });
      const { rows: sun } = await pg.query(`SELECT member_count FROM registry.household WHERE head_name = '孙一'`);
      expect(sun).toEqual([{ member_count: 3 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
