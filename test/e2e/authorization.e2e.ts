import { A, B, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { nextIdNumber } from '../support/id-numbers';
import { INSIDE, OUTSIDE, ROLES, type Role } from '../support/role-users';
import { startRegistry, type RunningRegistry } from '../support/registry-app';
import { cstDate, cstYear } from '@jingzhun/domain';

jest.setTimeout(120_000);

interface Route {
  name: string;
  allowed: Role[];
  call: (r: RunningRegistry, token: string) => Promise<{ status: number; body: any }>;
}

describe('authorization matrix: every route × every role × inside/outside jurisdiction', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let householdId: string;
  let importId: string;

  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const csv = () =>
    `行政村代码,姓名,身份证号,与户主关系,主要致贫原因,户状态,识别年度\n${A.village},测试,${nextIdNumber()},户主,因病,未脱贫,2016\n`;

  const routes: Route[] = [
    {
      name: 'GET /users',
      allowed: ['township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/users?regionCode=${A.township}`).set(auth(t)),
    },
    {
      name: 'GET /regions',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/regions?parent=${A.village}`).set(auth(t)),
    },
    {
      name: 'GET /regions/:code',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/regions/${A.village}`).set(auth(t)),
    },
    {
      name: 'GET /regions/:code/stats',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/regions/${A.village}/stats`).set(auth(t)),
    },
    {
      name: 'POST /households',
      allowed: ['village', 'county', 'admin'],
      call: (r, t) =>
        r.http
          .post('/households')
          .set(auth(t))
          .send({
            villageCode: A.village,
            mainCause: 'ILLNESS',
            members: [{ name: '矩阵', idNumber: nextIdNumber(), relation: 'HEAD' }],
          }),
    },
    {
      name: 'GET /households',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/households?regionCode=${A.village}`).set(auth(t)),
    },
    {
      name: 'GET /households/:id',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/households/${householdId}`).set(auth(t)),
    },
    {
      name: 'PATCH /households/:id',
      allowed: ['village', 'county', 'admin'],
      call: (r, t) => r.http.patch(`/households/${householdId}`).set(auth(t)).send({ address: '东坪村1组' }),
    },
    {
      name: 'GET /households/:id/history',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) => r.http.get(`/households/${householdId}/history`).set(auth(t)),
    },
    {
      name: 'POST /households/:id/members',
      allowed: ['village', 'county', 'admin'],
      call: (r, t) =>
        r.http
          .post(`/households/${householdId}/members`)
          .set(auth(t))
          .send({ name: '成员', idNumber: nextIdNumber(), relation: 'SON' }),
    },
    {
      name: 'POST /households/:id/assessments',
      allowed: ['village', 'helper', 'county', 'admin'],
      call: (r, t) =>
        r.http.post(`/households/${householdId}/assessments`).set(auth(t)).send({
          year: cstYear(),
          assessedOn: cstDate(),
          wageIncome: 10000,
          businessIncome: 0,
          propertyIncome: 0,
          transferIncome: 2000,
          productionCosts: 1000,
          food: true,
          clothing: true,
          education: true,
          medical: true,
          housing: true,
          water: true,
        }),
    },
    {
      name: 'POST /households/:id/measures',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      call: (r, t) =>
        r.http
          .post(`/households/${householdId}/measures`)
          .set(auth(t))
          .send({ kind: 'EMPLOYMENT', description: '公益岗位', year: 2025, startedOn: '2025-03-01' }),
    },
    {
      name: 'PUT /households/:id/helper',
      allowed: ['village', 'township', 'county', 'admin'],
      call: (r, t) => r.http.put(`/households/${householdId}/helper`).set(auth(t)).send({ helperId: users.helperA }),
    },
    {
      name: 'POST /imports/households',
      allowed: ['county', 'admin'],
      call: (r, t) =>
        r.http.post('/imports/households?wait=true').set(auth(t)).attach('file', Buffer.from(csv()), 'm.csv'),
    },
    {
      name: 'GET /imports/:id',
      allowed: ['county', 'admin'],
      call: (r, t) => r.http.get(`/imports/${importId}`).set(auth(t)),
    },
    {
      name: 'GET /imports/:id/errors.xlsx',
      allowed: ['county', 'admin'],
      call: (r, t) => r.http.get(`/imports/${importId}/errors.xlsx`).set(auth(t)),
    },
  ];

  beforeAll(async () => {
    db = await freshDatabase('authz');
    await seedFixtures(db.url);
    registry = await startRegistry(db.url);
    const county = await registry.token(users.countyA);
    const created = await registry.http
      .post('/households')
      .set(auth(county))
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        helperId: users.helperA,
        members: [{ name: '目标户', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    expect(created.status).toBe(201);
    householdId = created.body.id;
    const imp = await registry.http
      .post('/imports/households?wait=true')
      .set(auth(county))
      .attach('file', Buffer.from(csv()), 'seed.csv');
    expect(imp.status).toBe(200);
    importId = imp.body.importId;
  });
  afterAll(async () => {
    await registry?.close();
    await db?.drop();
  });

  const cases: [string, Role, 'inside' | 'outside'][] = [];
  for (const route of routes)
    for (const role of ROLES)
      for (const where of ['inside', 'outside'] as const)
        if (!(role === 'admin' && where === 'outside')) cases.push([route.name, role, where]);

  it.each(cases)('%s as %s %s', async (routeName, role, where) => {
    const route = routes.find((r) => r.name === routeName)!;
    const userId = where === 'inside' ? INSIDE[role] : OUTSIDE[role as Exclude<Role, 'admin'>];
    const res = await route.call(registry, await registry.token(userId));
    const expected = route.allowed.includes(role) && where === 'inside' ? '2xx' : 403;
    if (expected === '2xx') {
      expect([res.status, res.body?.error?.code]).toEqual([expect.any(Number), undefined]);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    } else {
      expect(res.status).toBe(403);
    }
  });

  it('a request without a token or with a forged one is 401', async () => {
    expect((await registry.http.get('/households')).status).toBe(401);
    expect((await registry.http.get('/households').set('authorization', 'Bearer not.a.token')).status).toBe(401);
  });

  it('a helper sees only the households assigned to them, even inside their village', async () => {
    const other = await registry.token(users.helperA2);
    expect((await registry.http.get(`/households/${householdId}`).set(auth(other))).status).toBe(403);
    const list = await registry.http.get('/households').set(auth(other));
    expect(list.status).toBe(200);
    expect(list.body.items.map((h: { id: string }) => h.id)).not.toContain(householdId);
  });

  it('a township officer of the neighbouring township is outside', async () => {
    const t = await registry.token(users.townshipAOther);
    expect((await registry.http.get(`/households/${householdId}`).set(auth(t))).status).toBe(403);
    expect((await registry.http.get(`/regions/${A.village}/stats`).set(auth(t))).status).toBe(403);
    expect((await registry.http.get(`/regions/${A.otherVillage}/stats`).set(auth(t))).status).toBe(200);
  });

  it('the western county is a different jurisdiction', async () => {
    const t = await registry.token(users.countyA);
    expect((await registry.http.get(`/regions/${B.village}`).set(auth(t))).status).toBe(403);
  });
});
