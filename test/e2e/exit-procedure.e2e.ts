import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { users } from '../support/fixtures';
import { procedureStack } from '../support/procedure-stack';
import { skip, timeSkippingEnv } from '../support/workflow-env';
import { records } from '../support/records';

jest.setTimeout(180_000);
const DAY = 86_400_000;

/**
 * A full exit, nomination to EXITED, through the HTTP API with the registry's real activities on
 * PostgreSQL and NATS. Temporal here is the time-skipping server, so the 7 full days of notice pass
 * in a second (nothing in the product can shorten them; only the test's clock moves).
 */
describe('exit procedure end to end over HTTP', () => {
  let env: TestWorkflowEnvironment;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  beforeAll(async () => {
    env = await timeSkippingEnv();
    stack = await procedureStack('exitflow', env.address);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  it('nominates, appraises, verifies, posts the notice, reviews, approves and announces: the household is EXITED with an audit entry for every step', async () => {
    const { registry, auth, inboxTask, pg } = stack;
    const household = await stack.exitEligibleHousehold();
    const started = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    expect(started.status).toBe(201);
    const year = new Date().getUTCFullYear();
    expect(started.body.workflowId).toBe(`exit/${household.id}/${year}`);
    const caseId = started.body.id;

    const second = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '重复' });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(caseId);

    const appraisal = await inboxTask(users.villageA, 'village.appraisal', caseId);
    const r1 = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .set('Idempotency-Key', `appraisal-${caseId}`)
      .send({
        decision: 'approve',
        comment: '村民代表大会评议通过',
        data: records.appraisal({ attendance: 45, votesFor: 43, votesAgainst: 2 }),
      });
    expect(r1.status).toBe(200);
    expect(r1.body.step).toBe('village.verification');
    // The same request again returns the first result; the same key with another body is a 422 (#22), not the first
    // answer to a different question; a different decision on the task is a conflict.
    const again = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .set('Idempotency-Key', `appraisal-${caseId}`)
      .send({
        decision: 'approve',
        comment: '村民代表大会评议通过',
        data: records.appraisal({ attendance: 45, votesFor: 43, votesAgainst: 2 }),
      });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r1.body);
    const changed = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .set('Idempotency-Key', `appraisal-${caseId}`)
      .send({ decision: 'approve', comment: 'x' });
    expect([changed.status, changed.body.error?.code]).toEqual([422, 'IDEMPOTENCY_KEY_BODY_MISMATCH']);
    const other = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'reject', comment: '改主意' });
    expect(other.status).toBe(409);

    const visit = await inboxTask(users.villageA, 'village.verification', caseId);
    const noAgreement = await registry.http
      .post(`/tasks/${visit.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '核实' });
    expect(noAgreement.status).toBe(400);
    expect(noAgreement.body.error.message).toContain('data.householdAgrees');
    const r2 = await registry.http
      .post(`/tasks/${visit.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '入户核实属实', data: records.exitVisit() });
    expect(r2.body.step).toBe('village.notice');

    const notices = await registry.http.get('/notices?active=true').set(await auth(users.villageA));
    const notice = notices.body.find((n: { caseId: string }) => n.caseId === caseId);
    expect(notice.title).toContain('脱贫退出');
    expect(notice.body).toContain(household.number);
    expect(notice.body).not.toContain(household.headId);
    expect(notice.body).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(notice.days).toBe(7);

    const review = await inboxTask(users.townshipA, 'township.review', caseId);
    expect(review.canDecideNow).toBe(false);
    const early = await registry.http
      .post(`/tasks/${review.id}/decision`)
      .set(await auth(users.townshipA))
      .send({ decision: 'approve', comment: '提前审核' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('STEP_NOT_OPEN');
    expect(early.body.error.message).toContain('公示期未满');

    await skip(env, env.client.workflow.getHandle(started.body.workflowId), 8 * DAY);
    const r3 = await registry.http
      .post(`/tasks/${review.id}/decision`)
      .set(await auth(users.townshipA))
      .send({ decision: 'approve', comment: '乡镇审核通过' });
    expect(r3.status).toBe(200);
    expect(r3.body.step).toBe('county.approval');

    const approval = await inboxTask(users.countyA, 'county.approval', caseId);
    const r4 = await registry.http
      .post(`/tasks/${approval.id}/decision`)
      .set(await auth(users.countyA))
      .send({ decision: 'approve', comment: '县级审批同意退出' });
    expect(r4.status).toBe(200);
    expect(r4.body.status).toBe('COMPLETED');

    const h = await registry.http.get(`/households/${household.id}`).set(await auth(users.countyA));
    expect(h.body.status).toBe('EXITED');
    expect(h.body.exitYear).toBe(year);

    const detail = await registry.http.get(`/cases/${caseId}`).set(await auth(users.countyA));
    expect(detail.body.status).toBe('COMPLETED');
    const actions = detail.body.timeline.map((t: { action: string }) => t.action);
    for (const a of [
      'case.opened',
      'task.opened',
      'task.decided',
      'notice.published',
      'notice.ended',
      'household.exit.announced',
      'case.finished',
    ])
      expect(actions).toContain(a);
    expect(actions.filter((a: string) => a === 'task.decided')).toHaveLength(4);
    const history = await registry.http.get(`/households/${household.id}/history`).set(await auth(users.countyA));
    // The exit case's own entries end with case.finished; the follow-up the exit started comes after.
    const last = history.body.items.filter((i: { caseId: string | null }) => i.caseId === caseId).at(-1);
    expect(history.body.items.map((i: { action: string }) => i.action)).toContain('household.exit.announced');
    expect(last.action).toBe('case.finished');
    const announced = history.body.items.find((i: { action: string }) => i.action === 'household.exit.announced');
    expect(announced.before.status).toBe('POOR');
    expect(announced.after.status).toBe('EXITED');
    expect(announced.actorId).toBe(users.countyA);
    const followUp = history.body.items.find(
      (i: { action: string; after: { kind?: string } }) => i.action === 'case.opened' && i.after?.kind === 'follow_up',
    );
    expect(followUp).toBeDefined();
    expect(followUp.actorId).toBe('system');

    // Every task event went through the outbox, and none carries an ID number.
    const { rows } = await pg.query(
      `SELECT subject, payload::text AS p FROM outbox WHERE subject LIKE 'tasks.%' OR subject LIKE 'notices.%' OR subject LIKE 'cases.%'`,
    );
    expect(rows.map((r) => r.subject)).toEqual(
      expect.arrayContaining([
        'tasks.opened',
        'tasks.decided',
        'notices.published',
        'notices.closed',
        'cases.opened',
        'cases.finished',
      ]),
    );
    for (const r of rows) expect(r.p).not.toContain(household.headId);
  });

  it('a household rejected at appraisal can be nominated again the same year; only one exit is open at a time', async () => {
    const { registry, auth, inboxTask } = stack;
    const household = await stack.exitEligibleHousehold();
    const year = new Date().getUTCFullYear();
    const first = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    expect(first.status).toBe(201);
    const appraisal = await inboxTask(users.villageA, 'village.appraisal', first.body.id);
    // Rejecting needs a reason.
    const bare = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'reject', comment: ' ' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.issues[0].path).toBe('comment');
    const rejected = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'reject', comment: '评议未通过: 收入不稳定' });
    expect(rejected.body.status).toBe('REJECTED');
    const again = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '收入稳定后再次提名' });
    expect(again.status).toBe(201);
    expect(again.body.workflowId).toBe(`exit/${household.id}/${year}/2`);
    const third = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '重复' });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('CASE_ALREADY_OPEN');
    expect(await inboxTask(users.villageA, 'village.appraisal', again.body.id)).toBeDefined();
  });

  it('an open case whose workflow never started (the registry crashed between the two) is started by the next request to open it, not refused forever', async () => {
    const { registry, auth, pg } = stack;
    const household = await stack.exitEligibleHousehold();
    const first = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    expect(first.status).toBe(201);
    // As a crash after the case's transaction and before its workflow start leaves it: open, with no run.
    await env.client.workflow
      .getHandle(first.body.workflowId)
      .terminate('test: stands in for a start that never happened');
    const unstarted = `${first.body.workflowId}/unstarted`;
    await pg.query('UPDATE "case" SET workflow_id = $2 WHERE id = $1', [first.body.id, unstarted]);

    const again = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, workflowId: unstarted });
    expect((await env.client.workflow.getHandle(unstarted).describe()).status.name).toBe('RUNNING');
    const third = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '重复' });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('CASE_ALREADY_OPEN');
  });
});
