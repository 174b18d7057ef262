import { A, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(60_000);

/** Bad input on every write route is a 400 naming the field; never a 500. */
describe('bad input', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let token: string;
  let householdId: string;

  beforeAll(async () => {
    db = await freshDatabase('badinput');
    await seedFixtures(db.url);
    registry = await startRegistry(db.url);
    token = await registry.token(users.countyA);
    const res = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '户主', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    householdId = res.body.id;
  });
  afterAll(async () => {
    await registry?.close();
    await db?.drop();
  });

  const badIdNumber = () => {
    const id = nextIdNumber();
    return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  };

  const cases: [string, string, string, unknown, string[]][] = [
    ['POST', '/auth/token', 'empty user', { userId: '' }, ['userId']],
    ['POST', '/households', 'empty body', {}, ['villageCode', 'mainCause', 'members']],
    [
      'POST',
      '/households',
      'bad check digit and unknown cause',
      { villageCode: A.village, mainCause: '穷', members: [{ name: '甲', idNumber: 'X', relation: 'HEAD' }] },
      ['mainCause', 'members.0.idNumber'],
    ],
    [
      'POST',
      '/households',
      'wrong check digit',
      { villageCode: A.village, mainCause: 'ILLNESS', members: [{ name: '甲', idNumber: '@@', relation: 'HEAD' }] },
      ['members.0.idNumber'],
    ],
    [
      'POST',
      '/households',
      'township code as village',
      { villageCode: A.township, mainCause: 'ILLNESS', members: [{ name: '甲', idNumber: '@@', relation: 'HEAD' }] },
      ['villageCode'],
    ],
    [
      'POST',
      '/households',
      'two heads',
      {
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [
          { name: '甲', idNumber: '@@', relation: 'HEAD' },
          { name: '乙', idNumber: '@@2', relation: 'HEAD' },
        ],
      },
      ['members'],
    ],
    [
      'POST',
      '/households',
      'sex contradicts ID',
      {
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: '@M', relation: 'HEAD', sex: 'FEMALE' }],
      },
      ['members.0.sex'],
    ],
    [
      'POST',
      '/households',
      'POOR without identified year',
      {
        villageCode: A.village,
        status: 'POOR',
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: '@M', relation: 'HEAD' }],
      },
      ['identifiedYear'],
    ],
    [
      'POST',
      '/households',
      'unknown village',
      {
        villageCode: '411599001099',
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: '@M', relation: 'HEAD' }],
      },
      ['villageCode'],
    ],
    [
      'POST',
      '/households',
      'unknown helper',
      {
        villageCode: A.village,
        mainCause: 'ILLNESS',
        helperId: 'nobody',
        members: [{ name: '甲', idNumber: '@M', relation: 'HEAD' }],
      },
      ['helperId'],
    ],
    ['PATCH', '/households/:id', 'nothing to change', {}, ['(body)']],
    [
      'PATCH',
      '/households/:id',
      'three secondary causes',
      { secondaryCauses: ['DISASTER', 'LACK_OF_LAND', 'LACK_OF_WATER'] },
      ['secondaryCauses'],
    ],
    [
      'POST',
      '/households/:id/members',
      'missing relation and bad id',
      { name: '丙', idNumber: '123' },
      ['idNumber', 'relation'],
    ],
    [
      'POST',
      '/households/:id/assessments',
      'negative income, bad date',
      {
        year: 2025,
        assessedOn: '2025-13-45',
        wageIncome: -1,
        businessIncome: 0,
        propertyIncome: 0,
        transferIncome: 0,
        productionCosts: 0,
        food: true,
        clothing: true,
        education: true,
        medical: true,
        housing: true,
        water: 'yes',
      },
      ['assessedOn', 'wageIncome', 'water'],
    ],
    [
      'POST',
      '/households/:id/measures',
      'ends before it starts',
      { kind: 'EMPLOYMENT', description: '岗位', year: 2025, startedOn: '2025-05-01', endedOn: '2025-01-01' },
      ['endedOn'],
    ],
    ['PUT', '/households/:id/helper', 'not a helper', { helperId: users.villageA }, ['helperId']],
    // #22: names of invisible characters or with a bidi override, dates and years outside the work's window.
    [
      'POST',
      '/households',
      'a name of zero-width characters',
      {
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '\u200B\u200C\u200D', idNumber: '@M', relation: 'HEAD' }],
      },
      ['members.0.name'],
    ],
    [
      'POST',
      '/households',
      'a name with a right-to-left override',
      {
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '张\u202E三', idNumber: '@M', relation: 'HEAD' }],
      },
      ['members.0.name'],
    ],
    [
      'POST',
      '/households',
      'a name of digits and punctuation only',
      { villageCode: A.village, mainCause: 'ILLNESS', members: [{ name: '123-!', idNumber: '@M', relation: 'HEAD' }] },
      ['members.0.name'],
    ],
    [
      'POST',
      '/households/:id/assessments',
      'dated in the year 88 for 2096',
      {
        year: 2096,
        assessedOn: '0088-01-01',
        wageIncome: 1,
        businessIncome: 0,
        propertyIncome: 0,
        transferIncome: 0,
        productionCosts: 0,
        food: true,
        clothing: true,
        education: true,
        medical: true,
        housing: true,
        water: true,
      },
      ['assessedOn', 'year'],
    ],
    [
      'POST',
      '/households/:id/measures',
      'started in 5796',
      { kind: 'EMPLOYMENT', description: '岗位', year: 2025, startedOn: '5796-05-01' },
      ['startedOn'],
    ],
    [
      'POST',
      '/households/:id/measures',
      'a description with a control character',
      { kind: 'EMPLOYMENT', description: '岗位\u0007补贴', year: 2025, startedOn: '2025-05-01' },
      ['description'],
    ],
  ];

  it.each(cases)('%s %s with %s → 400 naming %j', async (method, path, _what, body, fields) => {
    const url = path.replace(':id', householdId);
    const payload = JSON.parse(
      JSON.stringify(body)
        .replace(/"@@2"/g, JSON.stringify(badIdNumber()))
        .replace(/"@@"/g, JSON.stringify(badIdNumber()))
        .replace(/"@M"/g, JSON.stringify(nextIdNumber('411599', 'MALE'))),
    );
    const res = await (registry.http as any)
      [method.toLowerCase()](url)
      .set('authorization', `Bearer ${token}`)
      .send(payload);
    expect(res.status).toBe(400);
    const paths = (res.body.error.details?.issues ?? []).map((i: { path: string }) => i.path);
    for (const f of fields) {
      expect(paths).toContain(f);
      expect(res.body.error.message).toContain(f === '(body)' ? '' : f);
    }
  });

  it('a full-width name is kept normalised (NFKC), a minority name with its middle dot as written (#22)', async () => {
    const res = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [
          { name: ' ＡＢ张三 ', idNumber: nextIdNumber(), relation: 'HEAD' },
          { name: '阿依古丽·买买提', idNumber: nextIdNumber(), relation: 'SPOUSE' },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body.members.map((m: { name: string }) => m.name)).toEqual(['AB张三', '阿依古丽·买买提']);
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send('{"villageCode": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toBeDefined();
  });

  it('a non-UUID household id is a 404', async () => {
    const res = await registry.http.get('/households/not-a-uuid').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
  });

  it('an import without a file, or with an unreadable one, is a 400 naming the file', async () => {
    const none = await registry.http.post('/imports/households').set('authorization', `Bearer ${token}`);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('file');
    const junk = await registry.http
      .post('/imports/households')
      .set('authorization', `Bearer ${token}`)
      .attach('file', Buffer.from('a,b\n1,2\n'), 'x.csv');
    expect(junk.status).toBe(400);
    expect(junk.body.error.code).toBe('IMPORT_UNREADABLE');
    const pdf = await registry.http
      .post('/imports/households')
      .set('authorization', `Bearer ${token}`)
      .attach('file', Buffer.from('%PDF'), 'x.pdf');
    expect(pdf.status).toBe(400);
  });
});
