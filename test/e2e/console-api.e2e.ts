import { testEngines } from '../support/engines';
import { A, users } from '../support/fixtures';
import { procedureStack } from '../support/procedure-stack';
import { startRegistry } from '../support/registry-app';

jest.setTimeout(180_000);

/** The API the console stands on: login page, paged inbox, dashboard, printable notice, honest OpenAPI. */
describe('console API', () => {
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  beforeAll(async () => {
    stack = await procedureStack('consoleapi', testEngines.temporalAddress);
  });
  afterAll(async () => {
    await stack?.close();
  });
  const get = async (path: string, user: string) => stack.registry.http.get(path).set(await stack.auth(user));

  it('the login page learns whether dev login is on and lists a few demo users of each role; /auth/me names the region', async () => {
    expect((await stack.registry.http.get('/auth/config')).body).toEqual({ devLogin: true, oidc: null });
    const list = await stack.registry.http.get('/auth/dev-users');
    expect(list.status).toBe(200);
    const roles = new Set(list.body.map((u: { role: string }) => u.role));
    expect([...roles].sort()).toEqual(['admin', 'county', 'helper', 'township', 'village']);
    expect(list.body.find((u: { id: string }) => u.id === users.villageA)).toMatchObject({
      role: 'village',
      regionCode: A.village,
      regionName: '东坪村',
    });
    const me = await get('/auth/me', users.townshipA);
    expect(me.body).toMatchObject({
      id: users.townshipA,
      role: 'township',
      regionCode: A.township,
      regionName: '城关镇',
    });
    expect((await stack.registry.http.get('/auth/me')).status).toBe(401);

    const off = await startRegistry(stack.db.url, {
      AUTH_DEV_LOGIN: 'false',
      TEMPORAL_ADDRESS: testEngines.temporalAddress,
    });
    try {
      expect((await off.http.get('/auth/config')).body).toEqual({ devLogin: false, oidc: null });
      expect((await off.http.get('/auth/dev-users')).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('the inbox pages and filters on the server, oldest due first, with the household and village it is about', async () => {
    const started: { id: string; number: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const h = await stack.exitEligibleHousehold();
      const c = await stack.registry.http
        .post('/cases')
        .set(await stack.auth(users.villageA))
        .send({ kind: 'exit', householdId: h.id, reason: '分页' });
      await stack.inboxTask(users.villageA, 'village.appraisal', c.body.id);
      started.push({ id: c.body.id, number: h.number });
    }
    const mine = (r: { body: { items: { caseId: string }[] } }) =>
      r.body.items.filter((t) => started.some((s) => s.id === t.caseId));
    const all = await get('/tasks?status=open&kind=exit&step=village.appraisal&pageSize=200', users.villageA);
    expect(mine(all)).toHaveLength(3);
    const dues = all.body.items.map((t: { dueAt: string }) => Date.parse(t.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const first = all.body.items.find((t: { caseId: string }) => t.caseId === started[0].id);
    expect(first).toMatchObject({
      householdNumber: started[0].number,
      headName: '退出户主',
      villageName: '东坪村',
      canDecideNow: true,
      overdue: false,
    });

    const total = all.body.total;
    const p1 = await get(`/tasks?status=open&kind=exit&step=village.appraisal&pageSize=2&page=1`, users.villageA);
    const p2 = await get(`/tasks?status=open&kind=exit&step=village.appraisal&pageSize=2&page=2`, users.villageA);
    expect(p1.body).toMatchObject({ total, page: 1, pageSize: 2 });
    expect(p1.body.items).toHaveLength(2);
    expect([...p1.body.items, ...p2.body.items].map((t: { id: string }) => t.id)).toEqual(
      all.body.items.slice(0, 2 + p2.body.items.length).map((t: { id: string }) => t.id),
    );
    expect((await get('/tasks?status=open&kind=member_change', users.villageA)).body.total).toBe(0);
    expect((await get(`/tasks?status=open&villageCode=${A.village2}`, users.villageA)).body.total).toBe(0);

    expect((await get('/tasks?status=open&overdue=true', users.villageA)).body.total).toBe(0);
    await stack.pg.query(`UPDATE task SET overdue = true WHERE case_id = $1`, [started[1].id]);
    const overdue = await get('/tasks?status=open&overdue=true', users.villageA);
    expect(overdue.body.items.map((t: { caseId: string }) => t.caseId)).toEqual([started[1].id]);
    expect((await get('/tasks?status=open&kind=nonsense', users.villageA)).status).toBe(400);
  });

  it('every dashboard figure equals what the lists give', async () => {
    const d = (await get(`/dashboard?regionCode=${A.county}`, users.countyA)).body;
    const township = d.areas.find((a: { code: string }) => a.code === A.township);
    expect(township.name).toBe('城关镇');
    for (const status of ['POOR', 'EXITED', 'APPLICANT']) {
      const listed = (await get(`/households?regionCode=${A.township}&status=${status}&pageSize=1`, users.countyA)).body
        .total;
      expect({ status, count: township.households[status] ?? 0 }).toEqual({ status, count: listed });
    }
    const exits = d.casesInFlight
      .filter((c: { kind: string }) => c.kind === 'exit')
      .reduce((n: number, c: { count: number }) => n + c.count, 0);
    expect(exits).toBe(
      (await get(`/cases?regionCode=${A.county}&kind=exit&status=OPEN&pageSize=1`, users.countyA)).body.total,
    );
    const village = d.villages.find((v: { code: string }) => v.code === A.village);
    const stats = (await get(`/regions/${A.village}/stats`, users.countyA)).body;
    expect(village).toMatchObject({
      poorPopulation: stats.poorPopulation,
      ruralPopulation: stats.ruralPopulation,
      incidence: stats.incidence,
      threshold: 0.02,
    });
    expect(d.totals.overdueTasks).toBe(
      (await stack.pg.query(`SELECT count(*)::int AS n FROM task WHERE status = 'OPEN' AND overdue`)).rows[0].n,
    );
    // The village's overdue appraisal is the township's area's figure, not the county officer's own inbox.
    expect(township.overdueTasks).toBe(d.totals.overdueTasks);
    expect(d.mine.overdue).toBe((await get('/tasks?status=open&overdue=true', users.countyA)).body.total);
    expect((await get(`/dashboard?regionCode=${A.county}`, users.townshipA)).status).toBe(403);
  });

  it('the printed notice is a PDF of the notice; unknown notices are 404', async () => {
    const { household: h, noticeId } = await stack.exitAtVillageNotice();
    const res = await stack.registry.http
      .get(`/notices/${noticeId}/pdf`)
      .set(await stack.auth(users.villageA))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (b: Buffer) => chunks.push(b));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((res.body as Buffer).includes(Buffer.from(h.headId))).toBe(false);
    expect((await get('/notices/00000000-0000-4000-8000-000000000000/pdf', users.villageA)).status).toBe(404);
  });

  it('the OpenAPI document tells the truth about Idempotency-Key (once, optional) and cadence (a string or null)', async () => {
    const doc = (await stack.registry.http.get('/docs/openapi.json')).body;
    const params = doc.paths['/tasks/{id}/decision'].post.parameters.filter(
      (p: { in: string; name: string }) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
    );
    expect(params).toHaveLength(1);
    expect(params[0].required).toBe(false);
    const body = doc.paths['/households/{id}/follow-up/cadence'].put.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    expect(schema.properties.cadence).toMatchObject({ type: 'string', nullable: true });
  });
});
