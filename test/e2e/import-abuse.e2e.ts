import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { freshDatabase } from '../support/database';
import { A, seedFixtures, users } from '../support/fixtures';
import { startRegistryProcess, type RegistryProcess } from '../support/registry-process';

jest.setTimeout(180_000);

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

/** The resident memory of a process (MB), from /proc. */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function xlsx(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('登记表'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The security review's two upload files, against the registry as production runs it (its own
 * process): a small XLSX with cells in column XFD, and a 200 kB one of 40 000 rows. While each
 * upload is handled, the registry's RSS is read and /health/live asked every 50 ms.
 */
describe('imports: streamed to disk, parsed off the event loop, capped', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RegistryProcess;
  let http: ReturnType<typeof request>;
  let auth: { authorization: string };

  beforeAll(async () => {
    db = await freshDatabase('import-abuse');
    await seedFixtures(db.url);
    registry = await startRegistryProcess(db.url, { LOG_LEVEL: 'warn' });
    process.stdout.write(`registry idle RSS ${rssMb(registry.pid).toFixed(0)} MB\n`);
    http = request(registry.baseUrl);
    auth = {
      authorization: `Bearer ${(await http.post('/auth/token').send({ userId: users.countyA })).body.accessToken}`,
    };
  });
  afterAll(async () => {
    await registry?.stop();
    await db?.drop();
  });

  /** Uploads `file` while watching RSS and the liveness probe; the answer and the worst of each. */
  async function watched(file: Buffer, name: string) {
    let maxRss = rssMb(registry.pid);
    let maxHealthMs = 0;
    let probes = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const t0 = performance.now();
        const res = await fetch(`${registry.baseUrl}/health/live`);
        const ms = performance.now() - t0;
        expect(res.status).toBe(200);
        maxHealthMs = Math.max(maxHealthMs, ms);
        maxRss = Math.max(maxRss, rssMb(registry.pid));
        probes++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const res = await http.post('/imports/households?wait=true').set(auth).attach('file', file, name);
    await new Promise((r) => setTimeout(r, 300));
    watching = false;
    await watcher;
    return { res, maxRss, maxHealthMs, probes };
  }

  it('a small XLSX with cells in column XFD is a 400 naming the column; memory and liveness unmoved', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(HEADER);
      for (let r = 2; r < 400; r++) {
        ws.getCell(r, 1).value = A.village;
        ws.getCell(r, 16_384).value = 'x';
      }
    });
    const { res, maxRss, maxHealthMs, probes } = await watched(file, 'xfd.xlsx');
    process.stdout.write(
      `XFD file ${(file.length / 1024).toFixed(0)} kB: ${res.status}, registry RSS ≤ ${maxRss.toFixed(0)} MB, /health/live ≤ ${maxHealthMs.toFixed(0)} ms over ${probes} probes\n`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('XFD 列超出导入模板');
    expect(maxRss).toBeLessThan(400);
    expect(maxHealthMs).toBeLessThan(200);
  });

  it('a 40 000-row XLSX is read and reported row by row within the memory bar, the liveness probe answering throughout', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(HEADER);
      for (let r = 0; r < 40_000; r++) ws.addRow([A.village, '', `某${r % 10}`, '1', '户主']);
    });
    const { res, maxRss, maxHealthMs, probes } = await watched(file, 'rows.xlsx');
    process.stdout.write(
      `40 000-row file ${(file.length / 1024).toFixed(0)} kB: ${res.status}, registry RSS ≤ ${maxRss.toFixed(0)} MB, /health/live ≤ ${maxHealthMs.toFixed(0)} ms over ${probes} probes\n`,
    );
    expect(res.status).toBe(200);
    expect(res.body.households).toBe(0);
    expect(res.body.errorRows).toBe(40_000);
    expect(maxRss).toBeLessThan(400);
    expect(maxHealthMs).toBeLessThan(200);
  });

  it('uploads past the configured size are a 413 in Chinese, and nothing is left in the upload folder', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    const small = await startRegistryProcess(db.url, {
      LOG_LEVEL: 'warn',
      IMPORT_MAX_UPLOAD_MB: '2',
      IMPORT_TMP_DIR: `/tmp/jz-upload-test-${process.pid}`,
    });
    try {
      const token = (await request(small.baseUrl).post('/auth/token').send({ userId: users.countyA })).body.accessToken;
      const res = await request(small.baseUrl)
        .post('/imports/households')
        .set('authorization', `Bearer ${token}`)
        .attach('file', big, 'big.csv');
      expect(res.status).toBe(413);
      expect(res.body.error.message).toContain('上传内容超过大小上限');
      const ok = await request(small.baseUrl)
        .post('/imports/households?wait=true')
        .set('authorization', `Bearer ${token}`)
        .attach('file', Buffer.from(`${HEADER.join(',')}\n${A.village},,张三,1,户主\n`), 'one.csv');
      expect(ok.status).toBe(200);
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(`/tmp/jz-upload-test-${process.pid}`)).toEqual([]);
    } finally {
      await small.stop();
    }
  });
});
