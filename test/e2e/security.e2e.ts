import { SignJWT } from 'jose';
import { Client } from 'pg';
import { A, B, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistry, type RunningRegistry } from '../support/registry-app';
import { freePort } from '../../tools/devkit/src/engines/net';

jest.setTimeout(90_000);

const DEV_SECRET = 'jingzhun-dev-only-secret-change-me';
const sign = (claims: Record<string, unknown>, exp: number | null, secret = DEV_SECRET) => {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.sub ?? users.countyA))
    .setIssuer('jingzhun')
    .setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
};

/** The findings of the security review that the registry's HTTP surface answers, each refused now. */
describe('security: tokens, headers, bad input, search and the admin scope', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let pg: Client;
  const created: { id: string; idNumber: string }[] = [];
  const auth = async (user: string) => ({ authorization: `Bearer ${await registry.token(user)}` });

  beforeAll(async () => {
    db = await freshDatabase('security');
    await seedFixtures(db.url);
    registry = await startRegistry(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('SET search_path TO registry');
    for (const name of ['王小明', '李%华']) {
      const idNumber = nextIdNumber();
      const res = await registry.http
        .post('/households')
        .set(await auth(users.countyA))
        .send({
          villageCode: A.village,
          mainCause: 'ILLNESS',
          helperId: users.helperA,
          members: [{ name, idNumber, relation: 'HEAD' }],
        });
      expect(res.status).toBe(201);
      created.push({ id: res.body.id, idNumber });
    }
  });
  afterAll(async () => {
    await registry?.close();
    await pg?.end();
    await db?.drop();
  });

  it('a token without exp is refused; so is one of a deactivated user, on the next request', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forever = await sign({ typ: 'user', sub: users.countyA }, null);
    expect((await registry.http.get('/auth/me').set('authorization', `Bearer ${forever}`)).status).toBe(401);
    const fine = await sign({ typ: 'user', sub: users.countyA }, now + 300);
    expect((await registry.http.get('/auth/me').set('authorization', `Bearer ${fine}`)).status).toBe(200);
    // Longer than our tokens live (JWT_TTL_SECONDS), or issued in the future: not ours (#22).
    const tenYears = await sign({ typ: 'user', sub: users.countyA }, now + 10 * 365 * 86_400);
    expect((await registry.http.get('/auth/me').set('authorization', `Bearer ${tenYears}`)).status).toBe(401);
    const ahead = await new SignJWT({ typ: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(users.countyA)
      .setIssuer('jingzhun')
      .setIssuedAt(now + 3600)
      .setExpirationTime(now + 3900)
      .sign(new TextEncoder().encode(DEV_SECRET));
    expect((await registry.http.get('/auth/me').set('authorization', `Bearer ${ahead}`)).status).toBe(401);
    const otherKey = await sign(
      { typ: 'user', sub: users.countyA },
      now + 300,
      'another-secret-of-at-least-32-characters!',
    );
    expect((await registry.http.get('/auth/me').set('authorization', `Bearer ${otherKey}`)).status).toBe(401);
    // The role and region are the registry's: a token claiming admin for a village cadre is still the cadre.
    const claimsAdmin = await sign(
      { typ: 'user', sub: users.villageA, role: 'admin', region: '000000000000' },
      now + 300,
    );
    expect((await registry.http.get('/auth/me').set('authorization', `Bearer ${claimsAdmin}`)).body).toMatchObject({
      id: users.villageA,
      role: 'village',
      regionCode: A.village,
    });

    const token = await auth(users.helperA2);
    expect((await registry.http.get('/auth/me').set(token)).status).toBe(200);
    await pg.query(`UPDATE "user" SET active = false WHERE id = $1`, [users.helperA2]);
    const refused = await registry.http.get('/auth/me').set(token);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('用户不存在或已停用');
    await pg.query(`UPDATE "user" SET active = true WHERE id = $1`, [users.helperA2]);
  });

  it('dev login is off unless set: its tokens are then worth nothing, and docs are off in production', async () => {
    const token = (await auth(users.countyA)).authorization;
    const off = await startRegistry(db.url, { AUTH_DEV_LOGIN: '' });
    try {
      expect((await off.http.post('/auth/token').send({ userId: users.countyA })).status).toBe(404);
      expect((await off.http.get('/auth/me').set('authorization', token)).status).toBe(401);
      expect((await off.http.get('/auth/config')).body).toEqual({ devLogin: false, oidc: null });
    } finally {
      await off.close();
    }
    const secrets = {
      AUTH_DEV_LOGIN: 'false',
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(40),
      ID_HASH_KEY: 'a'.repeat(64),
      ID_ENCRYPTION_KEY: 'b'.repeat(64),
    };
    // Production without a metrics port of its own does not start (#22: /metrics off the API's port).
    await expect(startRegistry(db.url, secrets)).rejects.toThrow(/METRICS_PORT/);
    const metricsPort = await freePort();
    const prod = await startRegistry(db.url, {
      ...secrets,
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: '127.0.0.1',
    });
    try {
      expect((await prod.http.get('/docs/openapi.json')).status).toBe(404);
      expect((await prod.http.get('/docs')).status).toBe(404);
      expect((await prod.http.get('/metrics')).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('jingzhun_http_request');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/households`)).status).toBe(404);
    } finally {
      await prod.close();
    }
    // Closed with the app.
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });

  it('security headers on every answer, no X-Powered-By', async () => {
    const res = await registry.http.get('/health/live');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('a NUL byte in a query or a body field, or JSON nested too deep, is a 400 naming the field', async () => {
    const county = await auth(users.countyA);
    const q = await registry.http.get('/households?q=%00abc').set(county);
    expect(q.status).toBe(400);
    expect(q.body.error.message).toBe('q: 不能包含空字符 (NUL)');
    const body = await registry.http
      .post('/households')
      .set(county)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        address: 'a\u0000b',
        members: [{ name: '张三', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    expect(body.status).toBe(400);
    expect(body.body.error.details.issues[0].path).toBe('address');
    const deep = `${'{"d":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const tooDeep = await registry.http
      .post('/cases')
      .set(county)
      .set('content-type', 'application/json')
      .send(`{"kind":"exit","householdId":"00000000-0000-4000-8000-000000000000","reason":"x","data":${deep}}`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.message).toMatch(/^data(\.d)+: 嵌套层级超过 32 层$/);
  });

  it('% and _ in q= are literal; an admin without regionCode sees every county', async () => {
    const county = await auth(users.countyA);
    const all = await registry.http.get('/households?q=%25').set(county);
    expect(all.status).toBe(200);
    expect(all.body.items.map((h: { headName: string }) => h.headName)).toEqual([]);
    const literal = await registry.http.get(`/households?q=${encodeURIComponent('李%')}`).set(county);
    expect(literal.body.items.map((h: { headName: string }) => h.headName)).toEqual(['李%华']);
    expect((await registry.http.get('/households?q=_').set(county)).body.total).toBe(0);

    const admin = await auth(users.admin);
    const everything = await registry.http.get('/households').set(admin);
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM household`);
    expect(everything.body.total).toBe(rows[0].n);
    expect(everything.body.total).toBeGreaterThan(0);
  });

  it('no role below county can rebuild an ID number from a household: masked number and age, never the birth date', async () => {
    const [{ id, idNumber }] = created;
    const birth = idNumber.slice(6, 14);
    const dashed = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
    for (const role of [users.villageA, users.helperA, users.townshipA]) {
      const res = await registry.http.get(`/households/${id}`).set(await auth(role));
      expect(res.status).toBe(200);
      const [member] = res.body.members;
      expect(member.idNumber).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
      expect(member.birthDate).toBeUndefined();
      expect(member.age).toBeGreaterThanOrEqual(0);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(birth);
      expect(text).not.toContain(dashed);
      const history = await registry.http.get(`/households/${id}/history`).set(await auth(role));
      expect(JSON.stringify(history.body)).not.toContain(dashed);
    }
    const county = (await registry.http.get(`/households/${id}`).set(await auth(users.countyA))).body.members[0];
    expect(county).toMatchObject({ idNumber, birthDate: dashed });
  });

  it("403 and 409 answers name no household, region or task outside the caller's jurisdiction", async () => {
    const [{ id, idNumber }] = created;
    const number = (await registry.http.get(`/households/${id}`).set(await auth(users.countyA))).body.number as string;
    const leaks = (text: string) => [number, A.village, A.township, A.county].filter((x) => text.includes(x));
    // Another county's officer reads the household, and registers the same person in their county.
    const read = await registry.http.get(`/households/${id}`).set(await auth(users.countyB));
    expect(read.status).toBe(403);
    expect(leaks(JSON.stringify(read.body))).toEqual([]);
    const dup = await registry.http
      .post('/households')
      .set(await auth(users.countyB))
      .send({
        villageCode: B.village,
        mainCause: 'ILLNESS',
        members: [{ name: '王小明', idNumber, relation: 'HEAD' }],
      });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('members.0.idNumber: 此人已在其他县登记');
    expect(leaks(JSON.stringify(dup.body))).toEqual([]);
    // A helper of the same village who does not help this household learns neither its number nor where it is.
    const helper = await registry.http.get(`/households/${id}`).set(await auth(users.helperA2));
    expect(helper.status).toBe(403);
    expect(leaks(JSON.stringify(helper.body))).toEqual([]);
    // The county's own officer still learns where the person is registered.
    const own = await registry.http
      .post('/households')
      .set(await auth(users.countyA))
      .send({
        villageCode: A.village2,
        mainCause: 'ILLNESS',
        members: [{ name: '王小明', idNumber, relation: 'HEAD' }],
      });
    expect(own.status).toBe(409);
    expect(own.body.error.message).toBe(`members.0.idNumber: 此人已在户 ${number} 登记`);
  });

  it('a full ID number is searched only by who sees full numbers, limited per hour and audited without the number (#22)', async () => {
    const [{ id, idNumber }] = created;
    // A village or township officer cannot test candidates for a masked number: 403, whatever the candidate.
    for (const user of [users.villageA, users.townshipA, users.helperA]) {
      const res = await registry.http.get(`/households?q=${idNumber}`).set(await auth(user));
      expect({ user, status: res.status, code: res.body.error?.code }).toEqual({
        user,
        status: 403,
        code: 'ID_SEARCH_NOT_ALLOWED',
      });
      expect(JSON.stringify(res.body)).not.toContain(id);
    }
    // The county finds it; the search is in the audit trail, masked.
    const found = await registry.http.get(`/households?q=${idNumber}`).set(await auth(users.countyA));
    expect(found.body.items.map((h: { id: string }) => h.id)).toEqual([id]);
    const audit = await pg.query(
      `SELECT actor_id, after FROM audit WHERE action = 'household.id_search' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0].actor_id).toBe(users.countyA);
    expect(audit.rows[0].after).toEqual({ idMasked: `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`, found: 1 });
    expect(JSON.stringify(audit.rows)).not.toContain(idNumber);
    // Sixty an hour: the next is a 429 with Retry-After.
    const county = await auth(users.countyB);
    let last = 0;
    for (let i = 0; i < 61; i++)
      last = (await registry.http.get(`/households?q=${nextIdNumber('522699')}`).set(county)).status;
    const over = await registry.http.get(`/households?q=${nextIdNumber('522699')}`).set(county);
    expect([last, over.status]).toEqual([429, 429]);
    expect(over.body.error.code).toBe('ID_SEARCH_LIMIT');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // A name search is not limited.
    expect((await registry.http.get(`/households?q=${encodeURIComponent('王')}`).set(county)).status).toBe(200);
  });

  it('a village officer registering a person registered outside their jurisdiction learns only that (#22)', async () => {
    const [{ idNumber }] = created;
    const dup = await registry.http
      .post('/households')
      .set(await auth(users.villageB))
      .send({
        villageCode: B.village,
        mainCause: 'ILLNESS',
        members: [{ name: '王小明', idNumber, relation: 'HEAD' }],
      });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('members.0.idNumber: 此人已在其他户登记');
  });

  it('sign-in is limited per user name and per address, writes per person: 429 with Retry-After', async () => {
    const limited = await startRegistry(db.url, {
      RATE_LOGIN_PER_USER: '3',
      RATE_LOGIN_PER_IP: '5',
      RATE_WRITES_PER_USER: '4',
    });
    try {
      const login = (userId: string) => limited.http.post('/auth/token').send({ userId });
      for (let i = 0; i < 3; i++) expect((await login(users.countyA)).status).toBe(200);
      const fourth = await login(users.countyA);
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fourth.body.error.message).toMatch(/^登录过于频繁, 请 \d+ 秒后再试$/);
      // Another name from the same address: two more, then the address is the limit.
      expect((await login(users.townshipA)).status).toBe(200);
      expect((await login(users.villageA)).status).toBe(429);

      const write = async (user: string) =>
        limited.http
          .post('/households')
          .set(await auth(user))
          .send({ villageCode: A.village, mainCause: 'ILLNESS', members: [] });
      for (let i = 0; i < 4; i++) expect((await write(users.villageA)).status).toBe(400);
      const fifth = await write(users.villageA);
      expect(fifth.status).toBe(429);
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fifth.body.error.code).toBe('TOO_MANY_REQUESTS');
      expect((await write(users.countyA)).status).toBe(400); // another person is not held back
      expect((await limited.http.get('/auth/me').set(await auth(users.villageA))).status).toBe(200); // reads have their own limit
    } finally {
      await limited.close();
    }
  });
});
