import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { decideUpdate, DecisionRefusal } from '@jingzhun/contracts';
import { ownTemporal } from '../support/engines';
import { A, users } from '../support/fixtures';
import { procedureStack } from '../support/procedure-stack';
import { records } from '../support/records';

jest.setTimeout(180_000);

/**
 * Whoever reaches Temporal can send the `decide` update with any actor in its payload. The
 * registry activity re-checks that actor before the workflow applies the decision: a deactivated
 * user, a user claiming a role they do not have, or no user at all is refused, and nothing changes.
 */
describe('a decision forged straight into Temporal changes nothing', () => {
  let temporal: Awaited<ReturnType<typeof ownTemporal>>;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let client: Client;

  beforeAll(async () => {
    temporal = await ownTemporal();
    stack = await procedureStack('forged', temporal.address);
    client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  });
  afterAll(async () => {
    await client?.connection.close();
    await stack?.close();
    await temporal?.stop();
  });

  it('refuses a deactivated user, a claimed role and a made-up user; the real cadre then decides', async () => {
    const household = await stack.exitEligibleHousehold();
    const started = await stack.registry.http
      .post('/cases')
      .set(await stack.auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    expect(started.status).toBe(201);
    const task = await stack.inboxTask(users.villageA, 'village.appraisal', started.body.id);
    const {
      rows: [{ workflow_id: workflowId }],
    } = await stack.pg.query(`SELECT workflow_id FROM task WHERE id = $1`, [task.id]);
    const handle = client.workflow.getHandle(workflowId);
    await stack.pg.query(`UPDATE "user" SET active = false WHERE id = $1`, [users.villageA2]);

    const forgeries = [
      { actor: { id: users.villageA2, role: 'village', regionCode: A.village }, reason: '决定人不存在或已停用' }, // deactivated
      { actor: { id: users.helperA, role: 'village', regionCode: A.village }, reason: '该任务不由您办理' }, // a helper claiming the cadre's role
      { actor: { id: 'nobody', role: 'village', regionCode: A.village }, reason: '决定人不存在或已停用' }, // no such user
    ];
    for (const f of forgeries) {
      const sent = handle.executeUpdate(decideUpdate, {
        args: [{ taskId: task.id, decision: 'approve', comment: '伪造', data: records.appraisal(), actor: f.actor }],
      });
      const err = await sent.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause).toMatchObject({
        type: DecisionRefusal.NotAssignee,
        message: f.reason,
      });
    }

    // Nothing changed: the task is open and undecided, the case at its step, no decision audited.
    const {
      rows: [t],
    } = await stack.pg.query(`SELECT status, decided_by FROM task WHERE id = $1`, [task.id]);
    expect(t).toEqual({ status: 'OPEN', decided_by: null });
    const { rows: audit } = await stack.pg.query(
      `SELECT count(*)::int AS n FROM audit WHERE case_id = $1 AND action = 'task.decided'`,
      [started.body.id],
    );
    expect(audit[0].n).toBe(0);
    expect(
      (await stack.registry.http.get(`/cases/${started.body.id}`).set(await stack.auth(users.countyA))).body.step,
    ).toBe('village.appraisal');

    const real = await stack.registry.http
      .post(`/tasks/${task.id}/decision`)
      .set(await stack.auth(users.villageA))
      .send({ decision: 'approve', comment: '评议通过', data: records.appraisal() });
    expect(real.status).toBe(200);
    expect(real.body.step).toBe('village.verification');
    const { rows: decided } = await stack.pg.query(
      `SELECT actor_id FROM audit WHERE case_id = $1 AND action = 'task.decided'`,
      [started.body.id],
    );
    expect(decided.map((r) => r.actor_id)).toEqual([users.villageA]);
  });
});
