import { Client } from 'pg';
import { A, B, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(60_000);

const COUNTED = ['household', 'member', 'audit', 'outbox', 'assessment', 'household_number_counter'];

describe('a failed request leaves no partial record', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pg: Client;
  let registry: RunningRegistry;
  let token: string;

  async function counts() {
    const out: Record<string, number> = {};
    for (const t of COUNTED) out[t] = (await pg.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
    out.counterLast = (
      await pg.query(`SELECT COALESCE(sum(last), 0)::int AS n FROM household_number_counter`)
    ).rows[0].n;
    return out;
  }

  beforeAll(async () => {
    db = await freshDatabase('atomic');
    await seedFixtures(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('SET search_path TO registry');
    registry = await startRegistry(db.url);
    token = await registry.token(users.villageA);
  });
  afterAll(async () => {
    await registry?.close();
    await pg?.end();
    await db?.drop();
  });

  it('a person already registered elsewhere: 409 naming the other household, nothing written', async () => {
    const shared = nextIdNumber();
    const first = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: shared, relation: 'HEAD' }],
      });
    expect(first.status).toBe(201);
    const before = await counts();
    const res = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [
          { name: '乙', idNumber: nextIdNumber(), relation: 'HEAD' },
          { name: '甲', idNumber: shared, relation: 'SON' },
        ],
      });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PERSON_ALREADY_REGISTERED');
    expect(res.body.error.message).toContain(first.body.number);
    expect(res.body.error.message).toContain('members.1.idNumber');
    // Names the other household's number, not its members.
    expect(res.body.error.message).not.toContain('甲');
    expect(JSON.stringify(res.body)).not.toContain(shared);
    expect(await counts()).toEqual(before);
  });

  it("the 409 for a person registered elsewhere names the household only inside the caller's jurisdiction", async () => {
    const shared = nextIdNumber();
    const first = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: shared, relation: 'HEAD' }],
      });
    expect(first.status).toBe(201);
    const other = await registry.http
      .post('/households')
      .set('authorization', `Bearer ${await registry.token(users.countyB)}`)
      .send({
        villageCode: B.village,
        mainCause: 'ILLNESS',
        members: [{ name: '甲', idNumber: shared, relation: 'HEAD' }],
      });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('PERSON_ALREADY_REGISTERED');
    expect(other.body.error.message).toContain('此人已在其他县登记');
    expect(JSON.stringify(other.body)).not.toContain(first.body.number);
    expect(JSON.stringify(other.body)).not.toContain(A.village);
  });

  it('a failure at the last write of the transaction rolls back the household, members, audit and counter', async () => {
    // Make the outbox insert (the last statement of the create transaction) fail.
    await pg.query(
      `CREATE FUNCTION fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await pg.query(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION fail_outbox()`);
    try {
      const before = await counts();
      const res = await registry.http
        .post('/households')
        .set('authorization', `Bearer ${token}`)
        .send({
          villageCode: A.village,
          mainCause: 'DISABILITY',
          members: [{ name: '丙', idNumber: nextIdNumber(), relation: 'HEAD' }],
        });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('INTERNAL');
      expect(await counts()).toEqual(before);

      const csv = `行政村代码,姓名,身份证号,与户主关系,主要致贫原因,户状态,识别年度\n${A.village},丁,${nextIdNumber()},户主,因病,未脱贫,2016\n`;
      const countyToken = await registry.token(users.countyA);
      const imp = await registry.http
        .post('/imports/households?wait=true')
        .set('authorization', `Bearer ${countyToken}`)
        .attach('file', Buffer.from(csv), 'fail.csv');
      expect(imp.status).toBe(500);
      const after = await counts();
      expect(after.household).toBe(before.household);
      expect(after.member).toBe(before.member);
      const job = await pg.query(`SELECT status FROM import_job ORDER BY created_at DESC LIMIT 1`);
      expect(job.rows[0].status).toBe('FAILED');
    } finally {
      await pg.query(`DROP TRIGGER fail_outbox ON outbox`);
      await pg.query(`DROP FUNCTION fail_outbox()`);
    }
  });
});
