import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cstDate, cstYear } from '@jingzhun/domain';
import { FollowUpCoverage } from '../../apps/registry/src/follow-ups/follow-up-coverage';
import { A, users } from '../support/fixtures';
import { nextIdNumber } from '../support/id-numbers';
import { procedureStack } from '../support/procedure-stack';
import { pdfText } from '../support/pdf-text';
import { records } from '../support/records';
import { skip, timeSkippingEnv } from '../support/workflow-env';

jest.setTimeout(240_000);
const DAY = 86_400_000;

/**
 * The registry's life cycle through the member-change procedure (village verification → township
 * approval → registry update), on the real registry, PostgreSQL and NATS: a head's death names the
 * new head in the same case, a split makes a new household of the registry with the same status, and
 * the last member's departure closes the household (CLOSED, history kept, follow-up ended).
 */
describe('head change, split and closure', () => {
  let env: TestWorkflowEnvironment;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  const year = cstYear();
  beforeAll(async () => {
    env = await timeSkippingEnv();
    stack = await procedureStack('lifecycle', env.address);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  const post = async (user: string, path: string, body: unknown) =>
    stack.registry.http
      .post(path)
      .set(await stack.auth(user))
      .send(body as object);
  const get = async (user: string, path: string) => stack.registry.http.get(path).set(await stack.auth(user));
  type Member = { id: string; name: string; relation: string; active: boolean };

  async function household(o: { status: string; relations: string[]; net?: number; extra?: Record<string, unknown> }) {
    const members = o.relations.map((relation, i) => ({
      name: i === 0 ? '老户主' : `成员${i}`,
      idNumber: nextIdNumber(),
      relation,
    }));
    const res = await post(users.countyA, '/households', {
      villageCode: A.village,
      status: o.status,
      mainCause: 'ILLNESS',
      helperId: users.helperA,
      members,
      ...o.extra,
    });
    if (res.status !== 201) throw new Error(`household: ${res.status} ${JSON.stringify(res.body)}`);
    if (o.net !== undefined) {
      const a = await post(users.countyA, `/households/${res.body.id}/assessments`, {
        year,
        assessedOn: cstDate(),
        ...records.findings({ wageIncome: o.net, transferIncome: 0, productionCosts: 0 }),
      });
      if (a.status !== 201) throw new Error(`assessment: ${a.status} ${JSON.stringify(a.body)}`);
    }
    return res.body as { id: string; number: string; members: Member[] };
  }

  /** Opens the member change and takes it through the village's verification and the township's approval. */
  async function changeMembers(householdId: string, data: Record<string, unknown>) {
    const started = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId,
      reason: '成员变化',
      data,
    });
    if (started.status !== 201) return started;
    const v = await stack.inboxTask(users.villageA, 'village.verification', started.body.id);
    expect(
      (await post(users.villageA, `/tasks/${v.id}/decision`, { decision: 'approve', comment: '核实属实', data: {} }))
        .status,
    ).toBe(200);
    const t = await stack.inboxTask(users.townshipA, 'township.approval', started.body.id);
    const done = await post(users.townshipA, `/tasks/${t.id}/decision`, { decision: 'approve', comment: '同意' });
    expect(done.body.status).toBe('COMPLETED');
    return started;
  }

  it("a head's death alone is refused with the reason; named with the new head in the same case, the son becomes head, the rest are re-related, income per head is recomputed", async () => {
    const h = await household({
      status: 'POOR',
      relations: ['HEAD', 'SON', 'SON'],
      net: 13_200,
      extra: { identifiedYear: 2019 },
    });
    const [head, son, brother] = h.members;
    const alone = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId: h.id,
      reason: '户主去世',
      data: { change: 'remove', reason: 'DEATH', memberId: head.id },
    });
    expect(alone.status).toBe(409);
    expect(alone.body.error.details.obstacles).toEqual([
      '户主 老户主 离户 (死亡、迁出或分出), 须在同一案中指定新户主 (change: head, newHeadId)',
    ]);

    const started = await changeMembers(h.id, {
      changes: [
        { change: 'head', newHeadId: son.id, relations: { [brother.id]: 'SIBLING' } },
        { change: 'remove', reason: 'DEATH', memberId: head.id },
      ],
    });
    const after = await get(users.countyA, `/households/${h.id}`);
    expect(after.body.headName).toBe(son.name);
    const active = (after.body.members as Member[]).filter((m) => m.active);
    expect(active.map((m) => [m.name, m.relation])).toEqual([
      [son.name, 'HEAD'],
      [brother.name, 'SIBLING'],
    ]);
    expect(after.body.memberCount).toBe(2);
    expect(after.body.netIncomePerHead).toBe(6600);
    const audit = (
      await stack.pg.query(`SELECT action FROM audit WHERE case_id = $1 ORDER BY id`, [started.body.id])
    ).rows.map((r) => r.action);
    expect(audit).toEqual(
      expect.arrayContaining(['household.head_changed', 'member.left', 'household.member_change.announced']),
    );
  });

  it('a split makes a new household of the registry with the same status, helper and dates; the people move, both are recounted', async () => {
    const h = await household({
      status: 'EXITED',
      relations: ['HEAD', 'SON', 'DAUGHTER_IN_LAW', 'GRANDSON'],
      net: 24_000,
      extra: { identifiedYear: 2016, exitYear: 2020 },
    });
    const [, son, wife, grandson] = h.members;
    // The whole household cannot leave into a split; the new head must be one of those who leave.
    const all = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId: h.id,
      reason: '分户',
      data: { change: 'split', memberIds: h.members.map((m) => m.id), newHeadId: son.id },
    });
    expect(all.status).toBe(409);
    expect(all.body.error.details.obstacles).toContain('分户后原户须至少留一名成员; 整户迁移请用整户注销');
    const wrongHead = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId: h.id,
      reason: '分户',
      data: { change: 'split', memberIds: [son.id, wife.id], newHeadId: grandson.id },
    });
    expect(wrongHead.body.error.details.obstacles).toEqual(['分户的新户主须在分出的成员中']);

    const started = await changeMembers(h.id, {
      change: 'split',
      memberIds: [son.id, wife.id],
      newHeadId: son.id,
      relations: { [wife.id]: 'SPOUSE' },
    });
    const created = (
      await stack.pg.query(`SELECT entity_id, after FROM audit WHERE case_id = $1 AND action = 'household.split'`, [
        started.body.id,
      ])
    ).rows[0];
    const split = await get(users.countyA, `/households/${created.entity_id}`);
    expect(split.body).toMatchObject({
      status: 'EXITED',
      identifiedYear: 2016,
      exitYear: 2020,
      headName: son.name,
      memberCount: 2,
      villageCode: A.village,
    });
    expect(split.body.number).not.toBe(h.number);
    expect((split.body.members as Member[]).filter((m) => m.active).map((m) => [m.name, m.relation])).toEqual([
      [son.name, 'HEAD'],
      [wife.name, 'SPOUSE'],
    ]);
    const old = await get(users.countyA, `/households/${h.id}`);
    expect(old.body.memberCount).toBe(2);
    expect(old.body.netIncomePerHead).toBe(12_000);
    expect(
      (old.body.members as Member[])
        .filter((m) => !m.active)
        .map((m) => m.name)
        .sort(),
    ).toEqual([son.name, wife.name].sort());
    // The new household needs a follow-up (exited, inside the window): the registry starts it.
    await stack.registry.app.get(FollowUpCoverage).sweep();
    expect(
      (await stack.pg.query(`SELECT 1 FROM "case" WHERE open_key = $1`, [`follow_up/${created.entity_id}`])).rowCount,
    ).toBe(1);
  });

  it("the last member's death closes the household: CLOSED, history kept, its follow-up ended, and nothing more can change it", async () => {
    const h = await household({
      status: 'MONITORED',
      relations: ['HEAD'],
      net: 5_000,
      extra: { identifiedYear: 2016, exitYear: 2020, monitoringType: 'UNSTABLE_EXITED', monitoredSince: '2026-01-10' },
    });
    const coverage = stack.registry.app.get(FollowUpCoverage);
    await coverage.sweep();
    const followUp = (await stack.pg.query(`SELECT id FROM "case" WHERE open_key = $1`, [`follow_up/${h.id}`])).rows[0];
    expect(followUp).toBeTruthy();

    await changeMembers(h.id, { change: 'remove', reason: 'DEATH', memberId: h.members[0].id });
    const after = await get(users.countyA, `/households/${h.id}`);
    expect(after.body).toMatchObject({ status: 'CLOSED', memberCount: 0 });
    expect((after.body.members as Member[]).map((m) => m.active)).toEqual([false]);
    expect(
      (await stack.pg.query(`SELECT after FROM audit WHERE household_id = $1 AND action = 'household.closed'`, [h.id]))
        .rows[0].after,
    ).toMatchObject({ status: 'CLOSED', reason: 'DEATH' });

    await coverage.sweep();
    for (
      let i = 0;
      i < 200 &&
      (await stack.pg.query(`SELECT status FROM "case" WHERE id = $1`, [followUp.id])).rows[0].status === 'OPEN';
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(
      (await stack.pg.query(`SELECT status, outcome FROM "case" WHERE id = $1`, [followUp.id])).rows[0],
    ).toMatchObject({ status: 'COMPLETED', outcome: expect.stringContaining('CLOSED') });

    const again = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId: h.id,
      reason: '补录',
      data: { change: 'close', reason: 'DEATH' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details.obstacles).toEqual(['已销户的户不能变更成员']);
  });

  it('a whole household that moves away is closed by 整户注销, all its members leaving with the reason', async () => {
    const h = await household({
      status: 'POOR',
      relations: ['HEAD', 'SPOUSE'],
      net: 6_000,
      extra: { identifiedYear: 2019 },
    });
    const mixed = await post(users.villageA, '/cases', {
      kind: 'member_change',
      householdId: h.id,
      reason: '迁出',
      data: {
        changes: [
          { change: 'close', reason: 'MIGRATION' },
          { change: 'remove', reason: 'DEATH', memberId: h.members[1].id },
        ],
      },
    });
    expect(mixed.body.error.details.obstacles).toEqual(['整户注销不能与其他变更同案']);
    await changeMembers(h.id, { change: 'close', reason: 'MIGRATION' });
    const rows = (await stack.pg.query(`SELECT active, left_reason FROM member WHERE household_id = $1`, [h.id])).rows;
    expect(rows).toEqual([
      { active: false, left_reason: 'MIGRATION' },
      { active: false, left_reason: 'MIGRATION' },
    ]);
    expect((await get(users.countyA, `/households/${h.id}`)).body.status).toBe('CLOSED');
  });

  /** 清退 through its steps: village verification (what was found) → village notice 7 d → township review → county approval → announcement. */
  async function removal(householdId: string, removalReason: string) {
    const started = await post(users.villageA, '/cases', {
      kind: 'removal',
      householdId,
      reason: '核查发现不符合条件',
      data: { removalReason },
    });
    if (started.status !== 201) return { started, done: null };
    const v = await stack.inboxTask(users.villageA, 'village.verification', started.body.id);
    const bare = await post(users.villageA, `/tasks/${v.id}/decision`, {
      decision: 'approve',
      comment: '属实',
      data: {},
    });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['data.findings']);
    expect(
      (
        await post(users.villageA, `/tasks/${v.id}/decision`, {
          decision: 'approve',
          comment: '属实',
          data: { findings: '家庭有经营性收入未如实申报, 人均收入远高于标准' },
        })
      ).body.step,
    ).toBe('village.notice');
    await skip(env, env.client.workflow.getHandle(started.body.workflowId), 8 * DAY);
    const review = await stack.inboxTask(users.townshipA, 'township.review', started.body.id);
    expect(
      (await post(users.townshipA, `/tasks/${review.id}/decision`, { decision: 'approve', comment: '同意' })).status,
    ).toBe(200);
    const approval = await stack.inboxTask(users.countyA, 'county.approval', started.body.id);
    const done = await post(users.countyA, `/tasks/${approval.id}/decision`, {
      decision: 'approve',
      comment: '同意清退',
    });
    expect(done.body.status).toBe('COMPLETED');
    return { started, done };
  }

  it('清退: a wrongly identified household leaves the registry after its notice (REMOVED, members freed, history kept); a start without its reason is a 400 naming it', async () => {
    const h = await household({
      status: 'POOR',
      relations: ['HEAD', 'SPOUSE'],
      net: 30_000,
      extra: { identifiedYear: 2019 },
    });
    const noReason = await post(users.villageA, '/cases', {
      kind: 'removal',
      householdId: h.id,
      reason: '清退',
      data: {},
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.issues[0].path).toBe('data.removalReason');
    const { started } = await removal(h.id, 'WRONGLY_IDENTIFIED');
    const after = await get(users.countyA, `/households/${h.id}`);
    expect(after.body.status).toBe('REMOVED');
    expect((after.body.members as Member[]).every((m) => !m.active)).toBe(true);
    const audit = (
      await stack.pg.query(`SELECT after FROM audit WHERE case_id = $1 AND action = 'household.removed'`, [
        started.body.id,
      ])
    ).rows[0];
    expect(audit.after).toMatchObject({ status: 'REMOVED', reason: 'WRONGLY_IDENTIFIED' });
    // The notice went up for 7 days like any other; a removed household cannot be removed twice.
    expect((await stack.pg.query(`SELECT days FROM notice WHERE case_id = $1`, [started.body.id])).rows).toEqual([
      { days: 7 },
    ]);
    // 一公告 is published as a record of its own: numbered, the household by its number, the decision, no name or ID number; printable.
    const list = await get(users.villageA, `/announcements?regionCode=${A.village}&kind=removal`);
    const ann = list.body.items.find((a: { caseId: string }) => a.caseId === started.body.id);
    expect(ann.number).toMatch(new RegExp(`^东岭县公告〔${year}〕第 \\d+ 号$`));
    expect(ann.body).toContain(`户编号 ${h.number}: 清退 (错评`);
    expect(ann.body).toMatch(/经公示 \(.*无异议\)/);
    expect(ann.body).not.toContain('老户主');
    expect(ann.body).not.toMatch(/\d{17}[\dX]/);
    const pdf = await stack.registry.http
      .get(`/announcements/${ann.id}/pdf`)
      .set(await stack.auth(users.villageA))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.body as Buffer)).toContain(`户编号 ${h.number}`);
    const twice = await post(users.villageA, '/cases', {
      kind: 'removal',
      householdId: h.id,
      reason: '再次',
      data: { removalReason: 'INELIGIBLE' },
    });
    expect(twice.body.error.details.obstacles).toEqual(['该户已清退']);
  });

  it('清退 for 错退: only an exited household; the announcement corrects it back to POOR with its exit year cleared', async () => {
    const poor = await household({ status: 'POOR', relations: ['HEAD'], net: 2_000, extra: { identifiedYear: 2019 } });
    const refused = await post(users.villageA, '/cases', {
      kind: 'removal',
      householdId: poor.id,
      reason: '错退',
      data: { removalReason: 'WRONGLY_EXITED' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.obstacles).toEqual(['错退只适用于已脱贫户, 该户状态为 POOR']);
    const exited = await household({
      status: 'EXITED',
      relations: ['HEAD', 'SON'],
      net: 5_000,
      extra: { identifiedYear: 2016, exitYear: 2020 },
    });
    await removal(exited.id, 'WRONGLY_EXITED');
    expect((await get(users.countyA, `/households/${exited.id}`)).body).toMatchObject({
      status: 'POOR',
      exitYear: null,
      memberCount: 2,
    });
  });
});
