import { Client } from 'pg';
import { A, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistry, type RunningRegistry } from '../support/registry-app';
import { cstDate, cstYear } from '@jingzhun/domain';

jest.setTimeout(60_000);

describe('household registry over HTTP', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let pg: Client;
  const auth = async (user: string) => ({ authorization: `Bearer ${await registry.token(user)}` });
  const headId = nextIdNumber('411599', 'MALE');
  const spouseId = nextIdNumber('411599', 'FEMALE');
  let householdId: string;
  let number: string;

  beforeAll(async () => {
    db = await freshDatabase('households');
    await seedFixtures(db.url);
    registry = await startRegistry(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await registry?.close();
    await pg?.end();
    await db?.drop();
  });

  it('registers a household: number from the village, sex and birth date from the ID, audited', async () => {
    const res = await registry.http
      .post('/households')
      .set(await auth(users.villageA))
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        secondaryCauses: ['LACK_OF_SKILLS'],
        address: '东坪村3组',
        members: [
          { name: '王建国', idNumber: headId, relation: 'HEAD', health: 'CHRONIC', labourCapacity: 'WEAK' },
          { name: '李秀英', idNumber: spouseId, relation: 'SPOUSE' },
        ],
      });
    expect(res.status).toBe(201);
    householdId = res.body.id;
    number = res.body.number;
    expect(number).toMatch(new RegExp(`^${A.village}\\d{5}$`));
    expect(res.body.status).toBe('APPLICANT');
    expect(res.body.memberCount).toBe(2);
    const spouse = res.body.members.find((m: { relation: string }) => m.relation === 'SPOUSE');
    expect(spouse.sex).toBe('FEMALE');
    // The cadre sees the age; the birth date (digits 7–14) only county and admin see.
    expect(spouse.birthDate).toBeUndefined();
    const born = new Date(`${spouseId.slice(6, 10)}-${spouseId.slice(10, 12)}-${spouseId.slice(12, 14)}T00:00:00Z`);
    const now = new Date();
    const age =
      now.getUTCFullYear() -
      born.getUTCFullYear() -
      (now.getUTCMonth() * 100 + now.getUTCDate() < born.getUTCMonth() * 100 + born.getUTCDate() ? 1 : 0);
    expect(spouse.age).toBe(age);
    const county = await registry.http.get(`/households/${householdId}`).set(await auth(users.countyA));
    const countySpouse = county.body.members.find((m: { relation: string }) => m.relation === 'SPOUSE');
    expect(countySpouse.birthDate).toBe(`${spouseId.slice(6, 10)}-${spouseId.slice(10, 12)}-${spouseId.slice(12, 14)}`);
  });

  it('shows full ID numbers only to county officers and admins', async () => {
    const county = await registry.http.get(`/households/${householdId}`).set(await auth(users.countyA));
    expect(county.body.members.map((m: { idNumber: string }) => m.idNumber)).toContain(headId);
    const township = await registry.http.get(`/households/${householdId}`).set(await auth(users.townshipA));
    expect(township.status).toBe(200);
    expect(JSON.stringify(township.body)).not.toContain(headId);
    expect(township.body.members[0].idNumber).toBe(`${headId.slice(0, 6)}********${headId.slice(-4)}`);
    const list = await registry.http.get(`/households?regionCode=${A.village}`).set(await auth(users.countyA));
    expect(JSON.stringify(list.body)).not.toContain(headId);
    expect(list.body.items[0].headIdNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('exports the list as filtered to XLSX: the county gets the masked ID column, a township none, a helper only their households', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const sheet = async (user: string, path: string) => {
      const res = await registry.http
        .get(path)
        .set(await auth(user))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      return (wb.worksheets[0].getSheetValues() as unknown[][])
        .filter(Boolean)
        .map((r) => r.slice(1).map((v) => (v === undefined || v === null ? '' : String(v))));
    };
    const county = await sheet(users.countyA, `/exports/households.xlsx?q=${number}`);
    expect(county[0][0]).toContain(`查找 "${number}"`);
    expect(county[1]).toContain('户主身份证号 (脱敏)');
    expect(county).toHaveLength(3);
    expect(county[2][0]).toBe(number);
    expect(county[2].join('|')).toContain(headId.slice(0, 6));
    expect(county[2].join('|')).not.toContain(headId);
    const township = await sheet(users.townshipA, `/exports/households.xlsx?q=${number}`);
    expect(township[1].some((h) => h.includes('身份证'))).toBe(false);
    expect(township[2][0]).toBe(number);
    expect(JSON.stringify(township)).not.toMatch(/\d{6}\*+\d{3}[\dX]|\d{17}[\dX]/);
    expect(await sheet(users.helperA, '/exports/households.xlsx')).toHaveLength(2); // the title and the header: no household is theirs
    // Outside one's jurisdiction: refused as the list is.
    expect(
      (await registry.http.get(`/exports/households.xlsx?regionCode=${A.otherVillage}`).set(await auth(users.villageA)))
        .status,
    ).toBe(403);
  });

  it('stores the ID number only encrypted and hashed', async () => {
    const { rows } = await pg.query(`SELECT row_to_json(m)::text AS j FROM registry.member m`);
    for (const r of rows) expect(r.j).not.toContain(headId);
    const audit = await pg.query(
      `SELECT coalesce(after::text, '') || coalesce(before::text, '') AS j FROM registry.audit`,
    );
    for (const r of audit.rows) expect(r.j).not.toContain(headId);
  });

  it('finds a household by a full ID number, a name prefix or a number prefix', async () => {
    const h = await auth(users.countyA);
    for (const q of [headId, '王建', number.slice(0, 14)]) {
      const res = await registry.http.get(`/households?q=${encodeURIComponent(q)}`).set(h);
      expect(res.body.items.map((i: { id: string }) => i.id)).toContain(householdId);
    }
  });

  it('refuses a person already active in another household with 409 naming that household', async () => {
    const res = await registry.http
      .post('/households')
      .set(await auth(users.countyA))
      .send({
        villageCode: A.village2,
        mainCause: 'ILLNESS',
        members: [{ name: '王建国', idNumber: headId, relation: 'HEAD' }],
      });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(number);
  });

  it('adds a member, records an assessment (net income per head), a measure and a helper; history has each, oldest first', async () => {
    const h = await auth(users.villageA);
    const child = await registry.http
      .post(`/households/${householdId}/members`)
      .set(h)
      .send({ name: '王小明', idNumber: nextIdNumber(), relation: 'SON', schooling: 'PRIMARY' });
    expect(child.status).toBe(201);
    expect(child.body.household.memberCount).toBe(3);

    const assessment = await registry.http.post(`/households/${householdId}/assessments`).set(h).send({
      year: cstYear(),
      assessedOn: cstDate(),
      wageIncome: 9000,
      businessIncome: 1500,
      propertyIncome: 0,
      transferIncome: 2400,
      productionCosts: 900,
      food: true,
      clothing: true,
      education: true,
      medical: false,
      housing: true,
      water: true,
    });
    expect(assessment.status).toBe(201);
    expect(assessment.body.people).toBe(3);
    expect(assessment.body.netIncomePerHead).toBe(4000);

    expect(
      (
        await registry.http
          .post(`/households/${householdId}/measures`)
          .set(h)
          .send({ kind: 'HEALTH', description: '慢病签约服务', year: 2025, startedOn: '2025-01-01' })
      ).status,
    ).toBe(201);
    expect(
      (await registry.http.put(`/households/${householdId}/helper`).set(h).send({ helperId: users.helperA })).status,
    ).toBe(200);
    expect(
      (await registry.http.patch(`/households/${householdId}`).set(h).send({ attribute: 'LOW_INCOME' })).status,
    ).toBe(200);

    const detail = await registry.http.get(`/households/${householdId}`).set(h);
    expect(detail.body.netIncomePerHead).toBe(4000);
    expect(detail.body.helper).toEqual({ id: users.helperA, name: users.helperA });

    const history = await registry.http.get(`/households/${householdId}/history`).set(h);
    expect(history.body.items.map((i: { action: string }) => i.action)).toEqual([
      'household.created',
      'member.added',
      'assessment.recorded',
      'measure.added',
      'helper.assigned',
      'household.changed',
    ]);
    const changed = history.body.items.at(-1);
    expect(changed.before).toEqual({ attribute: 'GENERAL' });
    expect(changed.after).toEqual({ attribute: 'LOW_INCOME' });
    expect(changed.actorId).toBe(users.villageA);
    const at = history.body.items.map((i: { at: string }) => new Date(i.at).getTime());
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('every change wrote its event to the outbox in the same transaction', async () => {
    const { rows } = await pg.query(
      `SELECT subject FROM registry.outbox WHERE payload->'data'->>'householdId' = $1 ORDER BY created_at`,
      [householdId],
    );
    expect(rows.map((r) => r.subject)).toEqual([
      'registry.household.created',
      'registry.member.added',
      'registry.assessment.recorded',
      'registry.measure.added',
      'registry.household.helper-assigned',
      'registry.household.changed',
    ]);
  });

  it('computes incidence from live data: poor people over the rural population', async () => {
    const county = await auth(users.countyA);
    const before = (await registry.http.get(`/regions/${A.village2}/stats`).set(county)).body;
    const res = await registry.http
      .post('/households')
      .set(county)
      .send({
        villageCode: A.village2,
        status: 'POOR',
        identifiedYear: 2018,
        mainCause: 'DISABILITY',
        members: [
          { name: '贫一', idNumber: nextIdNumber(), relation: 'HEAD' },
          { name: '贫二', idNumber: nextIdNumber(), relation: 'SON' },
          { name: '贫三', idNumber: nextIdNumber(), relation: 'DAUGHTER' },
        ],
      });
    expect(res.status).toBe(201);
    const after = (await registry.http.get(`/regions/${A.village2}/stats`).set(county)).body;
    expect(after.poorPopulation).toBe(before.poorPopulation + 3);
    expect(after.ruralPopulation).toBe(1000);
    expect(after.incidence).toBeCloseTo(after.poorPopulation / 1000);
    const township = (await registry.http.get(`/regions/${A.township}/stats`).set(county)).body;
    expect(township.ruralPopulation).toBe(2000);
  });

  it('only a county officer or admin registers an existing non-applicant record', async () => {
    const res = await registry.http
      .post('/households')
      .set(await auth(users.villageA))
      .send({
        villageCode: A.village,
        status: 'POOR',
        identifiedYear: 2018,
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    expect(res.status).toBe(403);
  });

  it('reports readiness of the database, NATS and Temporal', async () => {
    const res = await registry.http.get('/health/ready');
    expect(res.body.checks).toEqual({ database: true, nats: true, temporal: true });
    expect(res.status).toBe(200);
  });

  it('serves the OpenAPI document generated from the zod DTOs', async () => {
    const res = await registry.http.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/households',
        '/households/{id}/members',
        '/imports/households',
        '/regions/{code}/stats',
      ]),
    );
    const create = res.body.paths['/households'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(res.body.components.schemas)).toContain('villageCode');
    expect(create).toBeDefined();
  });
});
