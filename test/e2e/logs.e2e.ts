import request from 'supertest';
import { freshDatabase } from '../support/database';
import { A, seedFixtures, users } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistryProcess, type RegistryProcess } from '../support/registry-process';

jest.setTimeout(120_000);

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
const PHONE = '13912345678';

/** `%XX` decoded (a log line holds a URL as sent), then every separator people put between digits removed. */
const flatten = (text: string) =>
  text.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/[\s\-./_+]/g, '');

/**
 * The registry as production runs it (its own process, `main.ts`, debug logging), driven through
 * requests that carry ID numbers and a phone number in every place a careless caller puts them:
 * bodies, bad bodies, duplicates, imports, search strings plain, spaced and percent-encoded, paths
 * and X-Request-Id. Then the whole log is searched for each number it used, in any spacing or encoding.
 */
describe('logs hold no ID number and no phone number', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RegistryProcess;
  let http: ReturnType<typeof request>;
  let token: string;
  const used: string[] = [];
  const id = () => {
    const n = nextIdNumber();
    used.push(n);
    return n;
  };

  beforeAll(async () => {
    db = await freshDatabase('logs');
    await seedFixtures(db.url);
    registry = await startRegistryProcess(db.url, { LOG_LEVEL: 'debug' });
    http = request(registry.baseUrl);
    token = (await http.post('/auth/token').send({ userId: users.countyA })).body.accessToken;
  });
  afterAll(async () => {
    await registry?.stop();
    await db?.drop();
  });

  it('drives requests full of ID numbers and a phone number, then finds none of them in the log', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const head = id();
    const spouse = id();
    const created = await http
      .post('/households')
      .set(auth)
      .set('x-request-id', 'req-logs-1')
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [
          { name: '王一', idNumber: head, relation: 'HEAD' },
          { name: '李二', idNumber: spouse, relation: 'SPOUSE' },
        ],
      });
    expect(created.status).toBe(201);
    expect(created.headers['x-request-id']).toBe('req-logs-1');
    expect(
      (
        await http
          .post('/households')
          .set(auth)
          .send({
            villageCode: A.village2,
            mainCause: 'ILLNESS',
            members: [{ name: '王一', idNumber: head, relation: 'HEAD' }],
          })
      ).status,
    ).toBe(409);
    const valid = id();
    const badCheck = valid.slice(0, 17) + (valid.endsWith('1') ? '2' : '1'); // a wrong check digit
    used.push(badCheck);
    expect(
      (
        await http
          .post('/households')
          .set(auth)
          .send({
            villageCode: A.village,
            mainCause: 'ILLNESS',
            members: [{ name: '错号', idNumber: badCheck, relation: 'HEAD' }],
          })
      ).status,
    ).toBe(400);
    expect(
      (
        await http
          .post(`/households/${created.body.id}/members`)
          .set(auth)
          .send({ name: '王三', idNumber: id(), relation: 'SON' })
      ).status,
    ).toBeLessThan(500);

    const spaced = `${head.slice(0, 6)} ${head.slice(6, 14)} ${head.slice(14)}`;
    const encoded = [...spouse].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    for (const q of [
      encodeURIComponent(head),
      encodeURIComponent(spaced),
      encoded,
      `${spouse.slice(0, 6)}+${spouse.slice(6)}`,
      PHONE,
      '139%201234%205678',
    ]) {
      expect((await http.get(`/households?q=${q}`).set(auth)).status).toBeLessThan(500);
    }
    expect((await http.get(`/households/${head}`).set(auth)).status).toBeGreaterThanOrEqual(400);
    const sentAsId = await http.get('/auth/me').set(auth).set('x-request-id', spaced);
    expect(sentAsId.headers['x-request-id']).not.toContain(head.slice(6, 14));
    await http.get('/auth/me').set(auth).set('x-request-id', PHONE);

    const csv = [
      HEADER.join(','),
      [A.village, '', '导入户主', id(), '户主', '健康', '因病', '', '未脱贫', '2016', ''].join(','),
      [A.village, '', '导入错号', `${id().slice(0, 17)}Y`, '之子', '', '', '', '', '', ''].join(','),
      [A.village2, '', '重复的人', head, '户主', '', '因学', '', '未脱贫', '2020', ''].join(','),
    ].join('\n');
    used.push(`${used[used.length - 1].slice(0, 17)}Y`);
    const imported = await http
      .post('/imports/households?wait=true')
      .set(auth)
      .attach('file', Buffer.from(csv), '登记表.csv');
    expect(imported.status).toBe(200);
    expect(imported.body.errorRows).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 500)); // the last lines reach the pipe
    const output = registry.output();
    // The log is really there and really has the requests in it.
    expect(output).toContain('req-logs-1');
    expect(output).toMatch(/"url":"\/households\?q=/);
    expect(output).toContain('[身份证号已隐藏]');
    const flat = flatten(output);
    const found = [...used, PHONE].filter((n) => flat.includes(n) || flat.includes(n.slice(0, 17)));
    expect(found).toEqual([]);
    expect(used.length).toBeGreaterThanOrEqual(6);
  });
});
