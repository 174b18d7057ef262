import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cstDate, cstYear } from '@jingzhun/domain';
import { A, users } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { procedureStack } from '../support/procedure-stack';
import { records } from '../support/records';
import { skip, timeSkippingEnv } from '../support/workflow-env';
import { ownNats } from '../support/nats';
import { JetStreamService, outboxEvent, uuidv7 } from '@jingzhun/platform';

jest.setTimeout(240_000);
const DAY = 86_400_000;

/**
 * 精准: the engine checks each decision against the household's live facts and the law, at the step
 * where the law checks it, through the HTTP API on the real registry, PostgreSQL and NATS (Temporal
 * is the time-skipping server, so a notice's days pass in a second). Each refusal is checked with the
 * figure and the line it names. These are the inspection findings of the issue, one per test.
 */
describe('eligibility and decision rights, enforced by the engine', () => {
  let env: TestWorkflowEnvironment;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  // A NATS of its own: the triage events this file publishes are taken in by this registry alone.
  let nats: Awaited<ReturnType<typeof ownNats>>;
  const year = cstYear();
  beforeAll(async () => {
    env = await timeSkippingEnv();
    nats = await ownNats();
    stack = await procedureStack('eligibility', env.address, { NATS_URL: nats.url });
  });
  afterAll(async () => {
    await stack?.close();
    await nats?.stop();
    await env?.teardown();
  });

  const post = async (user: string, path: string, body: unknown) =>
    stack.registry.http
      .post(path)
      .set(await stack.auth(user))
      .send(body as object);
  const get = async (user: string, path: string) => stack.registry.http.get(path).set(await stack.auth(user));

  /** A household registered by the county, with `people` members and (optionally) this year's assessment of `net` yuan, every need met unless said. */
  async function household(o: {
    status: string;
    people?: number;
    net?: number;
    needs?: Record<string, boolean>;
    extra?: Record<string, unknown>;
    by?: string;
  }) {
    const members = Array.from({ length: o.people ?? 3 }, (_, i) => ({
      name: i === 0 ? '户主' : `成员${i}`,
      idNumber: nextIdNumber(),
      relation: i === 0 ? 'HEAD' : 'SON',
    }));
    const res = await post(o.by ?? users.countyA, '/households', {
      villageCode: A.village,
      status: o.status,
      mainCause: 'ILLNESS',
      members,
      ...o.extra,
    });
    if (res.status !== 201) throw new Error(`household: ${res.status} ${JSON.stringify(res.body)}`);
    if (o.net !== undefined) {
      const a = await post(users.countyA, `/households/${res.body.id}/assessments`, {
        year,
        assessedOn: cstDate(),
        ...records.findings({ wageIncome: o.net, transferIncome: 0, productionCosts: 0 }),
        ...o.needs,
      });
      if (a.status !== 201) throw new Error(`assessment: ${a.status} ${JSON.stringify(a.body)}`);
    }
    return res.body as { id: string; number: string; members: { id: string; relation: string }[] };
  }

  async function decide(
    user: string,
    step: string,
    caseId: string,
    decision: string,
    data?: Record<string, unknown>,
    comment = '意见',
  ) {
    const t = await stack.inboxTask(user, step, caseId);
    return post(user, `/tasks/${t.id}/decision`, { decision, comment, data });
  }

  it('identification: a household at 50 000 yuan per head with every need met is refused when the case starts', async () => {
    const h = await household({ status: 'APPLICANT', people: 1, net: 50_000, by: users.villageA });
    const r = await post(users.villageA, '/cases', {
      kind: 'identification',
      householdId: h.id,
      reason: '申请',
      data: { householdConsent: true },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.details.obstacles).toEqual([
      `年人均纯收入 50000 元 (1 名常住成员), ${year} 年贫困标准 4000 元: 收入高于标准且两不愁三保障及饮水安全均有保障, 不符合识别条件`,
    ]);
  });

  it('identification: the verification visit records the findings; a visit finding the household above the standard cannot be approved, and no notice goes up', async () => {
    const h = await household({ status: 'APPLICANT', people: 2, by: users.villageA });
    const started = await post(users.villageA, '/cases', {
      kind: 'identification',
      householdId: h.id,
      reason: '申请',
      data: { householdConsent: true },
    });
    expect(started.status).toBe(201);
    expect(
      (await decide(users.villageA, 'village.appraisal', started.body.id, 'approve', records.appraisal())).status,
    ).toBe(200);
    const rich = await decide(users.villageA, 'village.verification', started.body.id, 'approve', {
      assessment: records.findings(),
    });
    expect(rich.status).toBe(409);
    expect(rich.body.error.code).toBe('NOT_ELIGIBLE');
    expect(rich.body.error.details.obstacles[0]).toContain('年人均纯收入 15000 元 (2 名常住成员)');
    const poor = await decide(
      users.villageA,
      'village.verification',
      started.body.id,
      'approve',
      records.identificationVisit(),
    );
    expect(poor.status).toBe(200);
    expect(poor.body.step).toBe('village.notice');
    // What the visit found is the household's assessment of the year (the online record equals the paper).
    const detail = await get(users.countyA, `/households/${h.id}`);
    expect(detail.body.netIncomePerHead).toBe(1800);
  });

  it('exit: a birth lowers income per head below the line; the exit is refused on the live members, not the stored 4 400', async () => {
    const h = await household({ status: 'POOR', people: 3, net: 13_200, extra: { identifiedYear: 2019 } });
    expect((await get(users.countyA, `/households/${h.id}`)).body.netIncomePerHead).toBe(4400);
    // A registered household's members change by procedure; the county may correct with a reason (audited).
    const byVillage = await post(users.villageA, `/households/${h.id}/members`, {
      name: '新生儿',
      idNumber: nextIdNumber(),
      relation: 'SON',
    });
    expect(byVillage.status).toBe(409);
    expect(byVillage.body.error.code).toBe('USE_MEMBER_CHANGE');
    expect(
      (
        await post(users.countyA, `/households/${h.id}/members`, {
          name: '新生儿',
          idNumber: nextIdNumber(),
          relation: 'SON',
        })
      ).status,
    ).toBe(409);
    const corrected = await post(users.countyA, `/households/${h.id}/members`, {
      name: '新生儿',
      idNumber: nextIdNumber(),
      relation: 'SON',
      correctionReason: '出生登记补录',
    });
    expect(corrected.status).toBe(201);
    // Income per head follows the people living there: 13 200 over 4.
    expect(corrected.body.household.netIncomePerHead).toBe(3300);
    const r = await post(users.villageA, '/cases', { kind: 'exit', householdId: h.id, reason: '年度退出' });
    expect(r.status).toBe(409);
    expect(r.body.error.details.obstacles).toEqual([
      `年人均纯收入 3300 元 (4 名常住成员) 未超过 ${year} 年贫困标准 4000 元`,
    ]);
  });

  it('exit: a verification recording 1 000 per head and unsafe housing is refused at the visit, before any notice; the case waits at the visit', async () => {
    const h = await stack.exitEligibleHousehold();
    const started = await post(users.villageA, '/cases', { kind: 'exit', householdId: h.id, reason: '年度退出' });
    expect(started.status).toBe(201);
    await decide(users.villageA, 'village.appraisal', started.body.id, 'approve', records.appraisal());
    const bad = await decide(
      users.villageA,
      'village.verification',
      started.body.id,
      'approve',
      records.exitVisit({
        assessment: records.findings({ wageIncome: 3000, transferIncome: 0, productionCosts: 0, housing: false }),
      }),
    );
    expect(bad.status).toBe(409);
    expect(bad.body.error.details.obstacles).toEqual([
      `年人均纯收入 1000 元 (3 名常住成员) 未超过 ${year} 年贫困标准 4000 元`,
      '两不愁三保障及饮水安全未全部达标: 住房安全有保障',
    ]);
    const c = await get(users.countyA, `/cases/${started.body.id}`);
    expect(c.body.step).toBe('village.verification');
    expect(c.body.notices).toEqual([]);
    // The same visit, recorded as it was, goes on.
    expect(
      (await decide(users.villageA, 'village.verification', started.body.id, 'approve', records.exitVisit())).body.step,
    ).toBe('village.notice');
  });

  it('a household enters the registry as poor of this year, or as exited this year, only through its procedure', async () => {
    const members = [{ name: '直接登记', idNumber: nextIdNumber(), relation: 'HEAD' }];
    const poor = await post(users.countyA, '/households', {
      villageCode: A.village,
      status: 'POOR',
      identifiedYear: year,
      mainCause: 'ILLNESS',
      members,
    });
    expect(poor.status).toBe(400);
    expect(poor.body.error.details.issues).toEqual([
      {
        path: 'identifiedYear',
        message: `${year} 年新识别的户须走识别纳入程序 (两公示一公告), 不能直接登记为未脱贫户`,
      },
    ]);
    const exited = await post(users.countyA, '/households', {
      villageCode: A.village,
      status: 'EXITED',
      identifiedYear: 2016,
      exitYear: year,
      mainCause: 'ILLNESS',
      members,
    });
    expect(exited.body.error.details.issues[0].path).toBe('exitYear');
    // Stock of earlier years is still registered by the county.
    expect(
      (
        await post(users.countyA, '/households', {
          villageCode: A.village,
          status: 'POOR',
          identifiedYear: year - 1,
          mainCause: 'ILLNESS',
          members,
        })
      ).status,
    ).toBe(201);
  });

  it('the year: an exit for 2030, or for a year before the household was identified or long past, is refused', async () => {
    const h = await household({ status: 'POOR', net: 33_000, extra: { identifiedYear: year - 1 } });
    const future = await post(users.villageA, '/cases', {
      kind: 'exit',
      householdId: h.id,
      reason: '退出',
      year: 2030,
    });
    expect(future.status).toBe(409);
    expect(future.body.error.details.obstacles).toContain(`年度 2030 在将来: 只能办理 ${year} 年的案件`);
    const before = await post(users.villageA, '/cases', {
      kind: 'exit',
      householdId: h.id,
      reason: '退出',
      year: year - 2,
    });
    expect(before.body.error.details.obstacles).toEqual(
      expect.arrayContaining([
        `年度 ${year - 2} 已过: 只能办理 ${year} 年的案件`,
        `年度 ${year - 2} 早于该户识别年度 ${year - 1}`,
      ]),
    );
    const campaign = await post(users.countyA, '/campaigns/preview', {
      countyCode: A.county,
      year: 2030,
      categories: ['poor'],
    });
    expect(campaign.status).toBe(400);
    expect(campaign.body.error.details.issues[0].path).toBe('year');
  });

  it('assessments: neither future-dated nor back-dated beyond the policy window (a month)', async () => {
    const h = await household({ status: 'POOR', extra: { identifiedYear: 2019 } });
    const at = (assessedOn: string, y = Number(assessedOn.slice(0, 4))) =>
      post(users.villageA, `/households/${h.id}/assessments`, { year: y, assessedOn, ...records.findings() });
    const future = await at(cstDate(new Date(Date.now() + 3 * DAY)));
    expect(future.status).toBe(400);
    expect(future.body.error.message).toContain('assessedOn');
    const old = await at(cstDate(new Date(Date.now() - 200 * DAY)));
    expect(old.status).toBe(400);
    expect(old.body.error.message).toMatch(/早于补录期限/);
    const wrongYear = await at(cstDate(), 2030);
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.body.error.details.issues[0].path).toBe('year');
  });

  it('民主评议: an approval without its date, attendance and votes, or with 3 of 40 for, is a 400 naming the fields', async () => {
    const h = await stack.exitEligibleHousehold();
    const started = await post(users.villageA, '/cases', { kind: 'exit', householdId: h.id, reason: '年度退出' });
    const empty = await decide(users.villageA, 'village.appraisal', started.body.id, 'approve', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'data.appraisalDate',
      'data.attendance',
      'data.votesFor',
    ]);
    const minority = await decide(
      users.villageA,
      'village.appraisal',
      started.body.id,
      'approve',
      records.appraisal({ votesFor: 3, votesAgainst: 30 }),
    );
    expect(minority.status).toBe(400);
    expect(minority.body.error.details.issues).toEqual([
      { path: 'data.votesFor', message: '赞成 3 票未超过参会人数 40 的半数, 评议不能通过' },
    ]);
    const overfull = await decide(
      users.villageA,
      'village.appraisal',
      started.body.id,
      'approve',
      records.appraisal({ attendance: 10, votesFor: 40, votesAgainst: 5 }),
    );
    expect(overfull.body.error.details.issues[0].message).toBe('赞成 40 票与反对 5 票之和超过参会人数 10');
  });

  it("member change: the township's approval is announced in the township officer's name and role, and income per head is recomputed", async () => {
    const h = await household({ status: 'POOR', people: 3, net: 13_200, extra: { identifiedYear: 2019 } });
    const son = h.members.find((m) => m.relation === 'SON')!;
    const started = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId: h.id,
      reason: '成员迁出',
      data: { change: 'remove', reason: 'MIGRATION', memberId: son.id },
    });
    expect(started.status).toBe(201);
    await decide(users.villageA, 'village.verification', started.body.id, 'approve');
    const done = await decide(users.townshipA, 'township.approval', started.body.id, 'approve');
    expect(done.body.status).toBe('COMPLETED');
    const { rows } = await stack.pg.query(
      `SELECT actor_id, actor_role, after FROM audit WHERE case_id = $1 AND action = 'household.member_change.announced'`,
      [started.body.id],
    );
    expect(rows).toEqual([expect.objectContaining({ actor_id: users.townshipA, actor_role: 'township' })]);
    expect(rows[0].after).toMatchObject({ memberCount: 2, netIncomePerHead: 6600 });
  });

  it('督办: a village task escalated to the township cannot be approved by the township; it may return the case, and the village decides', async () => {
    const h = await stack.exitEligibleHousehold();
    const started = await post(users.villageA, '/cases', { kind: 'exit', householdId: h.id, reason: '年度退出' });
    const task = await stack.inboxTask(users.villageA, 'village.appraisal', started.body.id);
    await skip(env, env.client.workflow.getHandle(started.body.workflowId), 11 * DAY);
    for (
      let i = 0;
      i < 100 &&
      !(await stack.pg.query(`SELECT escalated_role FROM task WHERE id = $1`, [task.id])).rows[0].escalated_role;
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const inbox = await get(users.townshipA, '/tasks?status=open&step=village.appraisal&pageSize=200');
    expect(inbox.body.items.find((t: { id: string }) => t.id === task.id)).toMatchObject({ escalated: true });
    const approve = await post(users.townshipA, `/tasks/${task.id}/decision`, {
      decision: 'approve',
      comment: '代为通过',
      data: records.appraisal(),
    });
    expect(approve.status).toBe(403);
    expect(approve.body.error.message).toContain('督办不代办');
    const back = await post(users.townshipA, `/tasks/${task.id}/decision`, {
      decision: 'return',
      comment: '逾期未评议, 退回村里重新组织',
    });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ step: 'village.appraisal', round: 2 });
    const audit = await stack.pg.query(
      `SELECT actor_role FROM audit WHERE entity_id = $1 AND action = 'task.decided'`,
      [task.id],
    );
    expect(audit.rows).toEqual([{ actor_role: 'township' }]);
    expect(
      (await decide(users.villageA, 'village.appraisal', started.body.id, 'approve', records.appraisal())).status,
    ).toBe(200);
  });

  it('one officer never signs two levels of a case: a township officer moved to the county cannot approve what they reviewed', async () => {
    const { caseId } = await stack.exitAtVillageNotice();
    const c = await get(users.countyA, `/cases/${caseId}`);
    await skip(env, env.client.workflow.getHandle(c.body.workflowId), 8 * DAY);
    expect((await decide(users.townshipA, 'township.review', caseId, 'approve')).status).toBe(200);
    await stack.pg.query(`UPDATE "user" SET role = 'county', region_code = $2 WHERE id = $1`, [
      users.townshipA,
      A.county,
    ]);
    try {
      const r = await decide(users.townshipA, 'county.approval', caseId, 'approve');
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('SAME_OFFICER');
      expect((await decide(users.countyA, 'county.approval', caseId, 'approve')).body.status).toBe('COMPLETED');
    } finally {
      await stack.pg.query(`UPDATE "user" SET role = 'township', region_code = $2 WHERE id = $1`, [
        users.townshipA,
        A.township,
      ]);
    }
  });

  it('monitoring inclusion: a type that does not match the household is refused (脱贫不稳定户 for a household that never exited)', async () => {
    const h = await household({ status: 'APPLICANT', by: users.villageA });
    const r = await post(users.villageA, '/cases', {
      kind: 'monitoring_inclusion',
      householdId: h.id,
      reason: '因病',
      data: { trigger: 'visit', monitoringType: 'UNSTABLE_EXITED' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.details.obstacles).toEqual(['户状态为 APPLICANT: 脱贫不稳定户只适用于已脱贫户']);
    // 边缘易致贫户 is measured against the year's one monitoring line (7 800 here), not 1.5 × the poverty line.
    const above = await household({ status: 'APPLICANT', people: 1, net: 9000, by: users.villageA });
    const marginal = await post(users.villageA, '/cases', {
      kind: 'monitoring_inclusion',
      householdId: above.id,
      reason: '排查',
      data: { trigger: 'visit', monitoringType: 'MARGINAL' },
    });
    expect(marginal.status).toBe(409);
    expect(marginal.body.error.details.obstacles).toEqual([
      `年人均纯收入 9000 元高于 ${year} 年监测收入线 7800 元: 不属于边缘易致贫户`,
    ]);
  });

  it("return: an assessment from 2019 does not open a return; this year's assessment below the standard does", async () => {
    const h = await household({ status: 'EXITED', extra: { identifiedYear: 2016, exitYear: 2019 } });
    await stack.pg.query(
      `INSERT INTO assessment (id, household_id, year, assessed_on, wage_income, business_income, property_income, transfer_income, production_costs, people, net_income_per_head, food, clothing, education, medical, housing, water, created_by)
      VALUES (gen_random_uuid(), $1, 2019, '2019-10-01', 3000, 0, 0, 0, 0, 3, 1000, true, true, true, true, false, true, 'import')`,
      [h.id],
    );
    const r = await post(users.villageA, '/cases', {
      kind: 'return',
      householdId: h.id,
      reason: '因病返贫',
      data: { householdConsent: true },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.details.obstacles).toEqual([`没有 ${year} 年的收入与两不愁三保障核实记录`]);
    await post(users.villageA, `/households/${h.id}/assessments`, {
      year,
      assessedOn: cstDate(),
      ...records.findings({ wageIncome: 6000, transferIncome: 0, productionCosts: 0 }),
    });
    expect(
      (
        await post(users.villageA, '/cases', {
          kind: 'return',
          householdId: h.id,
          reason: '因病返贫',
          data: { householdConsent: true },
        })
      ).status,
    ).toBe(201);
  });

  it("identification in a village without a helper is announced all the same; a helper the county names must be the village's own", async () => {
    const res = await post(users.countyA, '/households', {
      villageCode: A.otherVillage,
      status: 'APPLICANT',
      mainCause: 'ILLNESS',
      members: [{ name: '无帮扶村户主', idNumber: nextIdNumber(), relation: 'HEAD' }],
    });
    const started = await post(users.villageAOther, '/cases', {
      kind: 'identification',
      householdId: res.body.id,
      reason: '申请',
      data: { householdConsent: true },
    });
    expect(started.status).toBe(201);
    const handle = env.client.workflow.getHandle(started.body.workflowId);
    await decide(users.villageAOther, 'village.appraisal', started.body.id, 'approve', records.appraisal());
    await decide(
      users.villageAOther,
      'village.verification',
      started.body.id,
      'approve',
      records.identificationVisit(),
    );
    await skip(env, handle, 8 * DAY);
    await decide(users.townshipAOther, 'township.review', started.body.id, 'approve');
    await skip(env, handle, 8 * DAY);
    // helper-a serves another village (411599001001): the county cannot name them here.
    const foreign = await decide(users.countyA, 'county.approval', started.body.id, 'approve', {
      helperId: users.helperA,
    });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.details.obstacles).toEqual([
      `帮扶责任人 ${users.helperA} 不是本村 (${A.otherVillage}) 在册的帮扶责任人`,
    ]);
    const done = await decide(users.countyA, 'county.approval', started.body.id, 'approve');
    expect(done.body.status).toBe('COMPLETED');
    const h = await get(users.countyA, `/households/${res.body.id}`);
    expect(h.body).toMatchObject({ status: 'POOR', identifiedYear: year, helper: null });
    // The village owes the household a helper: a task in its inbox, done by assigning one (not by a decision).
    const owed = await stack.inboxTask(users.villageAOther, 'village.assign_helper', started.body.id);
    const asDecision = await post(users.villageAOther, `/tasks/${owed.id}/decision`, {
      decision: 'approve',
      comment: '已指派',
    });
    expect(asDecision.status).toBe(409);
    expect(asDecision.body.error.code).toBe('USE_HELPER_ASSIGNMENT');
    await stack.pg.query(
      `INSERT INTO "user" (id, name, role, region_code) VALUES ('helper-south', '南岭帮扶员', 'helper', $1) ON CONFLICT DO NOTHING`,
      [A.otherVillage],
    );
    const assigned = await stack.registry.http
      .put(`/households/${res.body.id}/helper`)
      .set(await stack.auth(users.villageAOther))
      .send({ helperId: 'helper-south' });
    expect(assigned.status).toBe(200);
    expect((await stack.pg.query(`SELECT status, decided_by FROM task WHERE id = $1`, [owed.id])).rows[0]).toEqual({
      status: 'DECIDED',
      decided_by: users.villageAOther,
    });
  });

  it('risk elimination waits while a risky department alert about the household is undecided in triage', async () => {
    const h = await household({
      status: 'MONITORED',
      people: 2,
      extra: { monitoringType: 'MARGINAL', monitoredSince: cstDate(new Date(Date.now() - 300 * DAY)) },
    });
    for (const daysAgo of [240, 20]) {
      await stack.pg.query(
        `INSERT INTO assessment (id, household_id, year, assessed_on, wage_income, business_income, property_income, transfer_income, production_costs, people, net_income_per_head, food, clothing, education, medical, housing, water, created_by)
        VALUES (gen_random_uuid(), $1, $2, $3, 20000, 0, 0, 0, 0, 2, 10000, true, true, true, true, true, true, 'visit')`,
        [h.id, cstYear(new Date(Date.now() - daysAgo * DAY)), cstDate(new Date(Date.now() - daysAgo * DAY))],
      );
    }
    // What the monitoring service publishes when a department's alert about the household opens its triage item, then when it is decided.
    const js = stack.registry.app.get(JetStreamService).js()!;
    const alertId = uuidv7();
    const publish = (subject: string, data: Record<string, unknown>) =>
      js.publish(subject, JSON.stringify(outboxEvent('monitoring', subject, data)));
    await publish('alerts.triage.opened', {
      alertId,
      kind: 'medical_expense',
      department: 'medical',
      status: 'MATCHED',
      risky: true,
      householdId: h.id,
      householdNumber: h.number,
      villageCode: A.village,
      countyCode: A.county,
    });
    const start = () =>
      post(users.villageA, '/cases', { kind: 'risk_elimination', householdId: h.id, reason: '收入稳定' });
    let refused = await start();
    for (let i = 0; i < 100 && !JSON.stringify(refused.body).includes('尚待研判'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      refused = await start();
    }
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.obstacles).toEqual(['有 1 条部门风险预警尚待研判']);
    await publish('alerts.triage.decided', {
      alertId,
      status: 'DISMISSED',
      caseId: null,
      householdId: h.id,
      householdNumber: h.number,
    });
    let started = await start();
    for (let i = 0; i < 100 && started.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 50));
      started = await start();
    }
    expect(started.status).toBe(201);
  });

  it('risk elimination of a household registered as monitored (边缘户) brings it back to a general household, never 已脱贫', async () => {
    const since = cstDate(new Date(Date.now() - 300 * DAY));
    const h = await household({
      status: 'MONITORED',
      people: 2,
      extra: { monitoringType: 'MARGINAL', monitoredSince: since },
    });
    // Income above the 7 800 line for the last 8 months (recorded when it was assessed).
    for (const daysAgo of [240, 60]) {
      await stack.pg.query(
        `INSERT INTO assessment (id, household_id, year, assessed_on, wage_income, business_income, property_income, transfer_income, production_costs, people, net_income_per_head, food, clothing, education, medical, housing, water, created_by)
        VALUES (gen_random_uuid(), $1, $2, $3, 20000, 0, 0, 0, 0, 2, 10000, true, true, true, true, true, true, 'visit')`,
        [h.id, cstYear(new Date(Date.now() - daysAgo * DAY)), cstDate(new Date(Date.now() - daysAgo * DAY))],
      );
    }
    const started = await post(users.villageA, '/cases', {
      kind: 'risk_elimination',
      householdId: h.id,
      reason: '收入稳定',
    });
    expect(started.status).toBe(201);
    await decide(users.villageA, 'village.home_check', started.body.id, 'approve');
    await decide(users.villageA, 'village.appraisal', started.body.id, 'approve', records.appraisal());
    await skip(env, env.client.workflow.getHandle(started.body.workflowId), 8 * DAY);
    expect((await decide(users.countyA, 'county.approval', started.body.id, 'approve')).body.status).toBe('COMPLETED');
    const after = await get(users.countyA, `/households/${h.id}`);
    expect(after.body.status).toBe('APPLICANT');
  });
});
