import { Client as TemporalClient, Connection } from '@temporalio/client';
import { SearchKeys, TaskQueues } from '@jingzhun/contracts';
import { TemporalWorkerHost } from '@jingzhun/platform';
import { testEngines } from '../support/engines';
import { A, B, users } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { procedureStack } from '../support/procedure-stack';
import { records } from '../support/records';

jest.setTimeout(180_000);

/** Procedures against the real Temporal dev server (no time skipping), PostgreSQL and NATS. */
describe('procedures on the Temporal dev server', () => {
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let temporal: TemporalClient;
  let connection: Connection;
  beforeAll(async () => {
    stack = await procedureStack('procdev', testEngines.temporalAddress);
    connection = await Connection.connect({ address: testEngines.temporalAddress });
    temporal = new TemporalClient({ connection });
  });
  afterAll(async () => {
    await stack?.close();
    await connection?.close();
  });

  async function poorPeople(village: string, people: number, county: string) {
    const h = await stack.auth(county);
    while (people > 0) {
      const n = Math.min(people, 5);
      const members = Array.from({ length: n }, (_, i) => ({
        name: `贫困${i}`,
        idNumber: nextIdNumber(village.slice(0, 6)),
        relation: i === 0 ? 'HEAD' : 'SON',
      }));
      const res = await stack.registry.http
        .post('/households')
        .set(h)
        .send({ villageCode: village, status: 'POOR', identifiedYear: 2019, mainCause: 'DISABILITY', members });
      expect(res.status).toBe(201);
      people -= n;
    }
  }

  const allConditions = { road: true, water: true, power: true, clinic: true, collectiveIncome: true };

  it('refuses a village exit at 2.1% incidence in a non-western county and allows 2.5% in a western one', async () => {
    await poorPeople(A.village2, 21, users.countyA); // rural population 1000 → 2.1%
    await poorPeople(B.village, 25, users.countyB); // western: 2.5% < 3%
    const refused = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.townshipA))
      .send({ kind: 'village_exit', regionCode: A.village2, reason: '申请退出', data: { conditions: allConditions } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('PRECONDITIONS_NOT_MET');
    expect(refused.body.error.message).toContain('2.10%');
    expect(refused.body.error.message).toContain('2%');

    const allowed = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.townshipB))
      .send({ kind: 'village_exit', regionCode: B.village, reason: '申请退出', data: { conditions: allConditions } });
    expect(allowed.status).toBe(201);
    expect(allowed.body.workflowId).toBe(`village_exit/${B.village}/${new Date().getUTCFullYear()}`);
    const task = await stack.inboxTask(users.townshipB, 'township.application', allowed.body.id);
    expect(task.villageCode).toBe(B.village);

    const missing = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.townshipA))
      .send({
        kind: 'village_exit',
        regionCode: A.village,
        reason: '申请退出',
        data: { conditions: { ...allConditions, clinic: false } },
      });
    expect(missing.status).toBe(409);
    expect(missing.body.error.message).toContain('卫生室');
  });

  it('only a designated 贫困村 exits as a village; the county designates one from its list (audited), an officer outside it is refused', async () => {
    const start = async () =>
      stack.registry.http
        .post('/cases')
        .set(await stack.auth(users.countyA))
        .send({
          kind: 'village_exit',
          regionCode: A.otherVillage,
          reason: '申请退出',
          data: { conditions: allConditions },
        });
    const refused = await start();
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.obstacles).toEqual([
      '南岭村 不是认定的贫困村, 不办理贫困村退出 (贫困村名单见 PUT /regions/designations)',
    ]);
    const put = async (user: string, body: unknown) =>
      stack.registry.http
        .put('/regions/designations')
        .set(await stack.auth(user))
        .send(body as object);
    expect(
      (await put(users.townshipA, { villages: [{ code: A.otherVillage, designatedSince: 2014 }], reason: '名单' }))
        .status,
    ).toBe(403);
    expect(
      (await put(users.countyB, { villages: [{ code: A.otherVillage, designatedSince: 2014 }], reason: '名单' }))
        .status,
    ).toBe(403);
    const bad = await put(users.countyA, { villages: [{ code: A.otherVillage, designatedSince: 1990 }], reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'reason',
      'villages.0.designatedSince',
    ]);
    const ok = await put(users.countyA, {
      villages: [
        { code: A.otherVillage, designatedSince: 2014 },
        { code: A.village, designatedSince: 2014 },
      ],
      reason: '豫扶贫办〔2014〕贫困村名单',
    });
    expect(ok.body).toEqual({ updated: 1, unchanged: 1 });
    const audit = await stack.pg.query(
      `SELECT actor_id, before, after FROM audit WHERE action = 'region.designation' AND entity_id = $1`,
      [A.otherVillage],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: users.countyA,
        before: { designatedSince: null },
        after: { designatedSince: 2014, reason: '豫扶贫办〔2014〕贫困村名单' },
      },
    ]);
    expect(
      (await stack.registry.http.get(`/regions/${A.otherVillage}`).set(await stack.auth(users.countyA))).body
        .designatedSince,
    ).toBe(2014);
    // Designated now: the incidence and the conditions decide (this village has no poor household).
    expect((await start()).status).toBe(201);
  });

  it('an objection sent twice at once with one Idempotency-Key is recorded once, both answers the same', async () => {
    const { noticeId } = await stack.exitAtVillageNotice();
    const send = async () =>
      stack.registry.http
        .post(`/notices/${noticeId}/objections`)
        .set({ ...(await stack.auth(users.villageA)), 'Idempotency-Key': 'objection-double-submit' })
        .send({ content: '该户有经营性收入未申报' });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(
      Number((await stack.pg.query(`SELECT count(*) FROM objection WHERE notice_id = $1`, [noticeId])).rows[0].count),
    ).toBe(1);
    // The same key on another request is a conflict, not a silent replay.
    const other = await stack.exitAtVillageNotice();
    const reused = await stack.registry.http
      .post(`/notices/${other.noticeId}/objections`)
      .set({ ...(await stack.auth(users.villageA)), 'Idempotency-Key': 'objection-double-submit' })
      .send({ content: '另一条异议内容' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The same key on the same notice with other content is another request: 422, not the first answer (#22).
    const changed = await stack.registry.http
      .post(`/notices/${noticeId}/objections`)
      .set({ ...(await stack.auth(users.villageA)), 'Idempotency-Key': 'objection-double-submit' })
      .send({ content: '另一条不同的异议内容' });
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_BODY_MISMATCH');
    // The same body again still answers the first result.
    const again = await stack.registry.http
      .post(`/notices/${noticeId}/objections`)
      .set({ ...(await stack.auth(users.villageA)), 'Idempotency-Key': 'objection-double-submit' })
      .send({ content: '该户有经营性收入未申报' });
    expect([again.status, again.body.id]).toEqual([201, a.body.id]);
  });

  it("the township verifying an objection sees its text, who raised it, the visit's figures, the checks and the earlier records; then its own finding", async () => {
    const { household, caseId, noticeId } = await stack.exitAtVillageNotice();
    const filed = await stack.registry.http
      .post(`/notices/${noticeId}/objections`)
      .set(await stack.auth(users.villageA))
      .send({ content: '该户家中有经营性货车未申报收入', submittedBy: '村民王五' });
    expect(filed.status).toBe(201);
    const task = await stack.inboxTask(users.townshipA, 'village.notice.objection', caseId);
    const evidence = async (user: string, step?: string) =>
      stack.registry.http.get(`/cases/${caseId}/evidence${step ? `?step=${step}` : ''}`).set(await stack.auth(user));
    const before = await evidence(users.townshipA, task.step);
    expect(before.status).toBe(200);
    const e = before.body;
    expect(e.duty).toMatch(/核实异议/);
    expect(e.sections[0]).toBe('objections');
    expect(e.objections).toEqual([
      expect.objectContaining({
        content: '该户家中有经营性货车未申报收入',
        raisedBy: '村民王五',
        finding: null,
        decision: null,
      }),
    ]);
    expect(e.household).toEqual(
      expect.objectContaining({
        id: household.id,
        number: household.number,
        villageName: '东坪村',
        townshipName: '城关镇',
        residents: 3,
      }),
    );
    // The visit's figures over the members living there: 30 000 + 3 000 − 3 000 for 3 people.
    expect(e.assessment).toEqual(expect.objectContaining({ netIncome: 30000, residents: 3, perHead: 10000 }));
    expect(e.assessment.needs.every((n: { ok: boolean }) => n.ok)).toBe(true);
    expect(e.checks.find((c: { label: string }) => c.label === '年人均纯收入超过贫困标准')).toEqual(
      expect.objectContaining({
        ok: true,
        detail: expect.stringMatching(/10000 元 \(3 名常住成员\) 超过 \d{4} 年贫困标准 \d+ 元/),
      }),
    );
    const appraisal = e.decisions.find((d: { step: string }) => d.step === 'village.appraisal');
    expect(appraisal.record).toEqual(
      expect.arrayContaining([
        { label: '参会人数', value: '40 人' },
        { label: '赞成票', value: '39 票' },
      ]),
    );
    const visit = e.decisions.find((d: { step: string }) => d.step === 'village.verification');
    expect(visit.record).toEqual(expect.arrayContaining([{ label: '农户签字认可', value: '已签字认可' }]));
    expect(e.notices).toEqual([expect.objectContaining({ days: 7, status: 'ACTIVE' })]);
    expect(JSON.stringify(e)).not.toMatch(/\d{17}[\dX]/);

    const decided = await stack.registry.http
      .post(`/tasks/${task.id}/decision`)
      .set(await stack.auth(users.townshipA))
      .send({
        decision: 'approve',
        comment: '不成立',
        data: { finding: '经走访, 货车为亲戚所有', evidence: '走访邻居两户, 查车辆登记' },
      });
    expect(decided.status).toBe(200);
    const after = (await evidence(users.countyA)).body;
    expect(after.objections[0]).toEqual(
      expect.objectContaining({
        finding: '经走访, 货车为亲戚所有',
        evidence: '走访邻居两户, 查车辆登记',
        decision: 'approve',
        decidedBy: users.townshipA,
      }),
    );
    // Who may see the case may see its evidence; nobody else.
    expect((await evidence(users.countyB)).status).toBe(403);
    expect((await evidence(users.helperA2)).status).toBe(403);
    const unknown = await evidence(users.countyA, 'village.nothing');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('step');
    // A path id that is not one is a 404 in Chinese, not Nest's "Validation failed (uuid is expected)".
    const notAnId = await stack.registry.http.get('/cases/not-a-case/evidence').set(await stack.auth(users.countyA));
    expect(notAnId.status).toBe(404);
    expect(notAnId.body.error.message).toBe('记录不存在: not-a-case (编号格式不正确)');
  });

  it('a member change shows the member leaving and the income per head before and after', async () => {
    const household = await stack.exitEligibleHousehold(A.village, 3);
    const members = (await stack.registry.http.get(`/households/${household.id}`).set(await stack.auth(users.villageA)))
      .body.members as { id: string; name: string; relation: string }[];
    const son = members.find((m) => m.relation === 'SON')!;
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({
        kind: 'member_change',
        householdId: household.id,
        reason: '成员外出务工迁出',
        data: { change: 'remove', reason: 'MIGRATION', memberId: son.id },
      });
    expect(started.status).toBe(201);
    const e = (
      await stack.registry.http.get(`/cases/${started.body.id}/evidence`).set(await stack.auth(users.townshipA))
    ).body;
    expect(e.sections[0]).toBe('member_changes');
    expect(e.memberChanges).toEqual({
      items: [{ change: 'remove', label: '成员减少', detail: `${son.name} (之子) 因迁出离户` }],
      residentsBefore: 3,
      residentsAfter: 2,
      perHeadBefore: 10000,
      perHeadAfter: 15000,
      applied: false,
    });
  });

  it('two officers decide the same task at once: one wins, the other gets 409, and it is applied once', async () => {
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '并发测试' });
    expect(started.status).toBe(201);
    const task = await stack.inboxTask(users.villageA, 'village.appraisal', started.body.id);
    const [a, b] = await Promise.all([
      stack.registry.http
        .post(`/tasks/${task.id}/decision`)
        .set(await stack.auth(users.villageA))
        .send({ decision: 'approve', comment: '甲', data: records.appraisal() }),
      stack.registry.http
        .post(`/tasks/${task.id}/decision`)
        .set(await stack.auth(users.villageA2))
        .send({ decision: 'reject', comment: '乙' }),
    ]);
    if (a.status !== 200 && b.status !== 200) throw new Error(JSON.stringify([a.body, b.body]));
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const { rows } = await stack.pg.query(
      `SELECT count(*)::int AS n FROM audit WHERE entity_id = $1 AND action = 'task.decided'`,
      [task.id],
    );
    expect(rows[0].n).toBe(1);
    const winner = a.status === 200 ? a : b;
    expect(winner.body.step).toBe(a.status === 200 ? 'village.verification' : 'finished');
  });

  it('the workflow worker killed mid-case and restarted: the case completes its step, no decision lost or applied twice', async () => {
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '重启测试' });
    const caseId = started.body.id;
    const appraisal = await stack.inboxTask(users.villageA, 'village.appraisal', caseId);
    expect(
      (
        await stack.registry.http
          .post(`/tasks/${appraisal.id}/decision`)
          .set(await stack.auth(users.villageA))
          .send({ decision: 'approve', comment: '评议', data: records.appraisal() })
      ).status,
    ).toBe(200);
    const visit = await stack.inboxTask(users.villageA, 'village.verification', caseId);

    await stack.worker.stop();
    const pending = stack.registry.http
      .post(`/tasks/${visit.id}/decision`)
      .set(await stack.auth(users.villageA))
      .set('Idempotency-Key', `visit-${caseId}`)
      .send({ decision: 'approve', comment: '入户核实', data: records.exitVisit() });
    const response = pending.then((r) => r);
    await new Promise((r) => setTimeout(r, 1500));
    const restarted = new TemporalWorkerHost({
      address: testEngines.temporalAddress,
      namespace: 'default',
      taskQueue: TaskQueues.processes,
      workflowBundlePath: testEngines.workflowBundle,
    });
    restarted.start();
    stack.worker = restarted;
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body.step).toBe('village.notice');
    // Retrying the request after the restart returns the same result, not a second decision.
    const retry = await stack.registry.http
      .post(`/tasks/${visit.id}/decision`)
      .set(await stack.auth(users.villageA))
      .set('Idempotency-Key', `visit-${caseId}`)
      .send({ decision: 'approve', comment: '入户核实', data: records.exitVisit() });
    expect(retry.status).toBe(200);
    const decided = await stack.pg.query(
      `SELECT action, entity_id FROM audit WHERE case_id = $1 AND action = 'task.decided'`,
      [caseId],
    );
    expect(decided.rows.map((r) => r.entity_id).sort()).toEqual([appraisal.id, visit.id].sort());
    const notices = await stack.pg.query(`SELECT count(*)::int AS n FROM notice WHERE case_id = $1`, [caseId]);
    expect(notices.rows[0].n).toBe(1);
  });

  it('member change: adds a member after village and township sign-off, recomputes income per head, never puts the ID number in the workflow', async () => {
    const household = await stack.exitEligibleHousehold(A.village, 3);
    const before = (await stack.registry.http.get(`/households/${household.id}`).set(await stack.auth(users.countyA)))
      .body;
    const babyId = nextIdNumber('411599', 'FEMALE');
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({
        kind: 'member_change',
        householdId: household.id,
        reason: '新生儿登记',
        data: {
          change: 'add',
          reason: 'BIRTH',
          member: {
            name: '新生儿',
            idNumber: babyId,
            relation: 'DAUGHTER',
            education: 'PRESCHOOL',
            medicalInsurance: true,
          },
        },
      });
    expect(started.status).toBe(201);
    const caseId = started.body.id;
    const v = await stack.inboxTask(users.villageA, 'village.verification', caseId);
    expect(
      (
        await stack.registry.http
          .post(`/tasks/${v.id}/decision`)
          .set(await stack.auth(users.villageA))
          .send({ decision: 'approve', comment: '属实' })
      ).status,
    ).toBe(200);
    const t = await stack.inboxTask(users.townshipA, 'township.approval', caseId);
    const done = await stack.registry.http
      .post(`/tasks/${t.id}/decision`)
      .set(await stack.auth(users.townshipA))
      .send({ decision: 'approve', comment: '同意' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('COMPLETED');

    const after = (await stack.registry.http.get(`/households/${household.id}`).set(await stack.auth(users.countyA)))
      .body;
    expect(after.memberCount).toBe(before.memberCount + 1);
    const baby = after.members.find((m: { idNumber: string }) => m.idNumber === babyId);
    // Every field given at the start reaches the registry, as with a direct addition.
    expect(baby).toMatchObject({
      name: '新生儿',
      relation: 'DAUGHTER',
      sex: 'FEMALE',
      education: 'PRESCHOOL',
      medicalInsurance: true,
      health: 'HEALTHY',
    });
    // Same income over one more person.
    expect(after.netIncomePerHead).toBe(Math.round((before.netIncomePerHead * before.memberCount) / after.memberCount));
    const history = await temporal.workflow.getHandle(started.body.workflowId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(babyId);
    const caseRow = await stack.pg.query(`SELECT data::text AS d FROM "case" WHERE id = $1`, [caseId]);
    expect(caseRow.rows[0].d).not.toContain(babyId);

    // A second member change for the same person is refused at the start.
    const again = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({
        kind: 'member_change',
        householdId: household.id,
        reason: '重复',
        data: { change: 'add', reason: 'BIRTH', member: { name: '新生儿', idNumber: babyId, relation: 'DAUGHTER' } },
      });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PERSON_ALREADY_REGISTERED');
  });

  it('admins find cases in the Web UI by search attributes, kept current at every step', async () => {
    const household = await stack.exitEligibleHousehold(A.village2);
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.countyA))
      .send({ kind: 'exit', householdId: household.id, reason: '检索测试' });
    expect(started.status).toBe(201);
    // An admin types the household number (户编号), not a UUID.
    const query = `ProcessKind = "exit" AND TownshipCode = "${A.township}" AND HouseholdNumber = "${household.number}"`;
    let found: { workflowId: string; memo?: Record<string, unknown>; searchAttributes: Record<string, unknown> }[] = [];
    for (let i = 0; i < 100 && found.length === 0; i++) {
      found = [];
      for await (const w of temporal.workflow.list({ query })) found.push(w as never);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found.map((w) => w.workflowId)).toEqual([started.body.workflowId]);
    const handle = temporal.workflow.getHandle(started.body.workflowId);
    const desc = await handle.describe();
    expect(desc.memo).toMatchObject({
      caseId: started.body.id,
      householdNumber: household.number,
      villageName: '西沟村',
    });
    expect(desc.typedSearchAttributes.get(SearchKeys.HouseholdId)).toBe(household.id);
    expect(desc.typedSearchAttributes.get(SearchKeys.Late)).toBe(false);
    let step: unknown;
    for (let i = 0; i < 50 && step !== 'village.appraisal'; i++) {
      step = (await handle.describe()).typedSearchAttributes.get(SearchKeys.ProcessStep);
      if (step !== 'village.appraisal') await new Promise((r) => setTimeout(r, 100));
    }
    expect(step).toBe('village.appraisal');
  });
});
