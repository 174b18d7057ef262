import { testEngines } from '../support/engines';
import { A, users } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { procedureStack } from '../support/procedure-stack';
import { INSIDE, OUTSIDE, ROLES, type Role } from '../support/role-users';
import { records } from '../support/records';

jest.setTimeout(180_000);

/** Cases, tasks and notices routes × every role × inside/outside jurisdiction (dev server). */
describe('authorization matrix of the procedure routes', () => {
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let caseId: string;
  let noticeId: string;
  let appraisalTaskId: string;
  let followedId: string;

  beforeAll(async () => {
    stack = await procedureStack('procauthz', testEngines.temporalAddress);
    // One case at its village notice (for objections), one at its appraisal (for decisions).
    const atNotice = await stack.exitEligibleHousehold();
    // The helper "inside" is the one assigned to this household.
    await stack.registry.http
      .put(`/households/${atNotice.id}/helper`)
      .set(await stack.auth(users.villageA))
      .send({ helperId: users.helperA });
    const c1 = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: atNotice.id, reason: '矩阵' });
    caseId = c1.body.id;
    const t1 = await stack.inboxTask(users.villageA, 'village.appraisal', caseId);
    await stack.registry.http
      .post(`/tasks/${t1.id}/decision`)
      .set(await stack.auth(users.villageA))
      .send({ decision: 'approve', comment: '', data: records.appraisal() });
    const t2 = await stack.inboxTask(users.villageA, 'village.verification', caseId);
    const atVerification = await stack.registry.http
      .post(`/tasks/${t2.id}/decision`)
      .set(await stack.auth(users.villageA))
      .send({ decision: 'approve', comment: '', data: records.exitVisit() });
    noticeId = atVerification.body.notice.noticeId;
    const atAppraisal = await stack.exitEligibleHousehold();
    const c2 = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: atAppraisal.id, reason: '矩阵' });
    appraisalTaskId = (await stack.inboxTask(users.villageA, 'village.appraisal', c2.body.id)).id;
    // An exited household of the helper "inside", with its follow-up started by the backfill.
    const exited = await stack.registry.http
      .post('/households')
      .set(await stack.auth(users.countyA))
      .send({
        villageCode: A.village,
        status: 'EXITED',
        identifiedYear: 2016,
        exitYear: 2024,
        mainCause: 'ILLNESS',
        helperId: users.helperA,
        members: [{ name: '回访户主', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    followedId = exited.body.id;
    const { FollowUpCoverage } = await import('../../apps/registry/src/follow-ups/follow-up-coverage');
    await stack.registry.app.get(FollowUpCoverage).sweep();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a helper not assigned to the household cannot read its case, and does not see it in lists', async () => {
    const other = await stack.registry.token(users.helperA2);
    expect((await stack.registry.http.get(`/cases/${caseId}`).set({ authorization: `Bearer ${other}` })).status).toBe(
      403,
    );
    const list = await stack.registry.http
      .get(`/cases?regionCode=${A.village}`)
      .set({ authorization: `Bearer ${other}` });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    const mine = await stack.registry.http
      .get(`/cases?regionCode=${A.village}`)
      .set({ authorization: `Bearer ${await stack.registry.token(users.helperA)}` });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(caseId);
  });

  const routes: {
    name: string;
    allowed: Role[];
    jurisdiction: boolean;
    call: (token: string) => Promise<{ status: number }>;
  }[] = [
    {
      name: 'POST /cases',
      allowed: ['village', 'township', 'county'],
      jurisdiction: true,
      call: async (t) => {
        const h = await stack.exitEligibleHousehold();
        return stack.registry.http
          .post('/cases')
          .set({ authorization: `Bearer ${t}` })
          .send({ kind: 'exit', householdId: h.id, reason: '矩阵' });
      },
    },
    {
      name: 'GET /cases',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      jurisdiction: true,
      call: (t) => stack.registry.http.get(`/cases?regionCode=${A.village}`).set({ authorization: `Bearer ${t}` }),
    },
    {
      name: 'GET /cases/:id',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      jurisdiction: true,
      call: (t) => stack.registry.http.get(`/cases/${caseId}`).set({ authorization: `Bearer ${t}` }),
    },
    // The inbox is the caller's own: no jurisdiction to be outside of.
    {
      name: 'GET /tasks',
      allowed: ['village', 'helper', 'township', 'county'],
      jurisdiction: false,
      call: (t) => stack.registry.http.get('/tasks?status=open').set({ authorization: `Bearer ${t}` }),
    },
    {
      name: 'GET /notices',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      jurisdiction: true,
      call: (t) => stack.registry.http.get(`/notices?regionCode=${A.village}`).set({ authorization: `Bearer ${t}` }),
    },
    {
      name: 'POST /notices/:id/objections',
      allowed: ['village', 'township', 'county'],
      jurisdiction: true,
      call: (t) =>
        stack.registry.http
          .post(`/notices/${noticeId}/objections`)
          .set({ authorization: `Bearer ${t}` })
          .send({ content: '该户家中有人长期在外务工收入未计入' }),
    },
    {
      name: 'GET /notices/:id/pdf',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      jurisdiction: true,
      call: (t) => stack.registry.http.get(`/notices/${noticeId}/pdf`).set({ authorization: `Bearer ${t}` }),
    },
    {
      name: 'GET /dashboard',
      allowed: ['township', 'county', 'admin'],
      jurisdiction: true,
      call: (t) => stack.registry.http.get(`/dashboard?regionCode=${A.township}`).set({ authorization: `Bearer ${t}` }),
    },
    {
      name: 'GET /households/:id/follow-up',
      allowed: ['village', 'helper', 'township', 'county', 'admin'],
      jurisdiction: true,
      call: (t) => stack.registry.http.get(`/households/${followedId}/follow-up`).set({ authorization: `Bearer ${t}` }),
    },
    {
      name: 'PUT /households/:id/follow-up/cadence',
      allowed: ['township', 'county'],
      jurisdiction: true,
      call: (t) =>
        stack.registry.http
          .put(`/households/${followedId}/follow-up/cadence`)
          .set({ authorization: `Bearer ${t}` })
          .send({ cadence: 'P1M', reason: '矩阵' }),
    },
    // Only the task's own role at its region (or the level it was escalated to) decides it.
    {
      name: 'POST /tasks/:id/decision',
      allowed: ['village'],
      jurisdiction: true,
      call: (t) =>
        stack.registry.http
          .post(`/tasks/${appraisalTaskId}/decision`)
          .set({ authorization: `Bearer ${t}` })
          .send({ decision: 'reject', comment: '矩阵' }),
    },
  ];

  const cases: [string, Role, 'inside' | 'outside'][] = [];
  for (const r of routes)
    for (const role of ROLES)
      for (const where of ['inside', 'outside'] as const)
        if (!(role === 'admin' && where === 'outside')) cases.push([r.name, role, where]);
  // The decision case consumes its task: run the village-inside decision last.
  cases.sort(
    (a, b) =>
      Number(a[0] === 'POST /tasks/:id/decision' && a[1] === 'village' && a[2] === 'inside') -
      Number(b[0] === 'POST /tasks/:id/decision' && b[1] === 'village' && b[2] === 'inside'),
  );

  it.each(cases)('%s as %s %s', async (name, role, where) => {
    const route = routes.find((r) => r.name === name)!;
    const user = where === 'inside' ? INSIDE[role] : OUTSIDE[role as Exclude<Role, 'admin'>];
    const res = await route.call(await stack.registry.token(user));
    const allowed = route.allowed.includes(role) && (where === 'inside' || !route.jurisdiction);
    if (allowed) {
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    } else {
      expect(res.status).toBe(403);
    }
  });
});
