import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { followUpStateQuery } from '@jingzhun/contracts';
import { ChannelStandIns } from '../../tools/devkit/src/channel-standins';
import { users } from '../support/fixtures';
import { ownNats, waitUntil } from '../support/nats';
import { procedureStack } from '../support/procedure-stack';
import { startNotifications, type RunningService } from '../support/services';
import { skip, timeSkippingEnv } from '../support/workflow-env';
import { records } from '../support/records';
import { DigestService } from '../../apps/notifications/src/digest';

jest.setTimeout(300_000);
const DAY = 86_400_000;
const SECRET = 'e2e-sms-gateway-secret-0123456789';
const PHONES = { helper: '13800000001', village: '13800000002', township: '13800000003' };

/**
 * A household exits → its follow-up starts → the revisit goes overdue → the helper gets an in-app
 * notification and an SMS at the gateway stand-in → after the grace period the village is told.
 * NATS is stopped in the middle and started again: every reminder still arrives exactly once.
 * Real registry (PostgreSQL, outbox, its activities), real notifications service, a nats-server
 * of the test's own, and Temporal's time-skipping server (three months pass in seconds).
 */
describe('follow-up reminders end to end, through a NATS outage', () => {
  let env: TestWorkflowEnvironment;
  let nats: Awaited<ReturnType<typeof ownNats>>;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let notifications: RunningService;
  let channels: ChannelStandIns;

  beforeAll(async () => {
    env = await timeSkippingEnv();
    nats = await ownNats();
    channels = await new ChannelStandIns(SECRET).start();
    stack = await procedureStack('followup', env.address, { NATS_URL: nats.url });
    await stack.pg.query(`UPDATE "user" SET phone = $1 WHERE id = $2`, [PHONES.helper, users.helperA]);
    await stack.pg.query(`UPDATE "user" SET phone = $1 WHERE id = $2`, [PHONES.village, users.villageA]);
    await stack.pg.query(`UPDATE "user" SET phone = $1, email = 'township-a@example.cn' WHERE id = $2`, [
      PHONES.township,
      users.townshipA,
    ]);
    notifications = await startNotifications(stack.db.url, {
      NATS_URL: nats.url,
      TEMPORAL_ADDRESS: env.address,
      REGISTRY_URL: stack.registry.baseUrl,
      SMS_GATEWAY_URL: channels.smsUrl,
      SMS_GATEWAY_SECRET: SECRET,
      SMTP_URL: channels.smtpUrl,
    });
  });
  afterAll(async () => {
    await notifications?.close();
    await stack?.close();
    await channels?.stop();
    await nats?.stop();
    await env?.teardown();
  });

  it('exit → follow-up → reminder, overdue SMS and escalation, each exactly once across a NATS restart', async () => {
    const { registry, auth, inboxTask } = stack;
    const household = await stack.exitEligibleHousehold();
    expect(
      (
        await registry.http
          .put(`/households/${household.id}/helper`)
          .set(await auth(users.villageA))
          .send({ helperId: users.helperA })
      ).status,
    ).toBe(200);

    // 脱贫退出 through HTTP, as in exit-procedure.e2e.ts.
    const started = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    const caseId = started.body.id;
    const decide = async (user: string, step: string, data?: Record<string, unknown>) => {
      const t = await inboxTask(user, step, caseId);
      const r = await registry.http
        .post(`/tasks/${t.id}/decision`)
        .set(await auth(user))
        .send({ decision: 'approve', comment: '同意', data });
      expect(r.status).toBe(200);
    };
    await decide(users.villageA, 'village.appraisal', records.appraisal());
    await decide(users.villageA, 'village.verification', records.exitVisit());
    await skip(env, env.client.workflow.getHandle(started.body.workflowId), 8 * DAY);
    await decide(users.townshipA, 'township.review');
    await decide(users.countyA, 'county.approval');
    expect((await registry.http.get(`/households/${household.id}`).set(await auth(users.countyA))).body.status).toBe(
      'EXITED',
    );

    // The exit started the follow-up; its first revisit is in the helper's inbox, due in 3 months.
    let followUp: { workflowId: string; nextDueAt: string } | null = null;
    await waitUntil('follow-up started', async () => {
      const r = await registry.http.get(`/households/${household.id}/follow-up`).set(await auth(users.villageA));
      followUp = r.body.followUp?.nextDueAt ? r.body.followUp : null;
      return followUp !== null;
    });
    const fu = followUp!;
    const revisits = await registry.http.get('/tasks?status=open').set(await auth(users.helperA));
    const revisit = revisits.body.items.find((t: { kind: string }) => t.kind === 'follow_up');
    expect(revisit.step).toBe('revisit');
    expect(revisit.assigneeId).toBe(users.helperA);
    // Another helper of the same village does not see it.
    expect((await registry.http.get('/tasks?status=open').set(await auth(users.helperA2))).body.items).toHaveLength(0);
    const due = Date.parse(fu.nextDueAt);
    const handle = env.client.workflow.getHandle(fu.workflowId);

    const inbox = async (user: string) =>
      (await notifications.http.get('/notifications').set(await auth(user))).body.items as {
        kind: string;
        body: string;
        link: { taskId?: string };
      }[];
    const smsTo = (phone: string, word: string) => channels.sms.filter((m) => m.to === phone && m.text.includes(word));

    // Before the due date the morning digest reminds the helper of every revisit due within the week,
    // in-app and by SMS, once a day ('revisit-reminders-daily': the workflow no longer reminds task by task).
    await notifications.app.get(DigestService).sendDigests(new Date(due - 6 * DAY));
    await notifications.app.get(DigestService).sendDigests(new Date(due - 6 * DAY));
    await waitUntil('reminder SMS', async () => smsTo(PHONES.helper, '提醒').length === 1, 60_000);
    await skip(env, handle, due - (await env.currentTimeMs()) - 6 * DAY);

    // NATS goes down; the revisit goes overdue while it is down (the outbox holds the event).
    await nats.stop();
    await skip(env, handle, 7 * DAY);
    expect((await handle.query(followUpStateQuery)).overdue).toBe(true);
    const { rows: pending } = await stack.pg.query(
      `SELECT count(*)::int AS n FROM outbox WHERE subject = 'revisits.overdue' AND published_at IS NULL`,
    );
    expect(pending[0].n).toBe(1);
    await new Promise((r) => setTimeout(r, 1500)); // the relay and the consumers fail against the stopped server
    await nats.start();
    await waitUntil('overdue SMS after the restart', async () => smsTo(PHONES.helper, '逾期').length >= 1, 90_000);

    // After the 7-day grace: escalation to the village (in-app + SMS).
    await skip(env, handle, 8 * DAY);
    await waitUntil('village escalation SMS', async () => smsTo(PHONES.village, '督办').length >= 1, 90_000);

    // Let any redelivery or relay retry run, then count: each stage once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(smsTo(PHONES.helper, '提醒')).toHaveLength(1);
    expect(smsTo(PHONES.helper, '逾期')).toHaveLength(1);
    expect(smsTo(PHONES.village, '督办')).toHaveLength(1);
    expect(channels.sms.every((m) => m.signatureValid)).toBe(true);
    // Texts name the household number and the due date, never an ID number.
    for (const m of channels.sms) {
      expect(m.text).toContain(household.number);
      expect(m.text).not.toContain(household.headId);
    }
    const helperInbox = await inbox(users.helperA);
    const kinds = helperInbox
      .filter((n) => n.link.taskId === revisit.id)
      .map((n) => n.kind)
      .sort();
    expect(kinds).toEqual(['revisits.opened', 'revisits.overdue']);
    expect(helperInbox.filter((n) => n.kind === 'revisits.reminder')).toHaveLength(1);
    const villageInbox = (await inbox(users.villageA)).filter((n) => n.link.taskId === revisit.id);
    expect(villageInbox.map((n) => n.kind)).toEqual(['revisits.escalated']);
    const unread = await notifications.http.get('/notifications/unread-count').set(await auth(users.helperA));
    expect(unread.body.unread).toBeGreaterThanOrEqual(3); // opened, the morning's reminder, overdue

    // The village head records the visit (quietly): the cycle moves on, the open item is gone.
    const r = await registry.http
      .post(`/tasks/${revisit.id}/decision`)
      .set(await auth(users.villageA))
      .send({
        decision: 'approve',
        comment: '已入户回访',
        data: {
          incomeChange: 'same',
          newRisks: [],
          needs: { food: true, clothing: true, education: true, medical: true, housing: true, water: true },
          note: '',
        },
      });
    expect(r.status).toBe(200);
    const after = await registry.http.get(`/households/${household.id}/follow-up`).set(await auth(users.villageA));
    expect(after.body.visits).toHaveLength(1);
    expect(after.body.visits[0].late).toBe(true);
    // 'lean-cycle' (#23): the visit's own transaction opened the next revisit and made it the case's step.
    const { rows: next } = await stack.pg.query(
      `SELECT t.key, t.status, t.due_at, c.step, c.round, c.due_at AS case_due
         FROM task t JOIN "case" c ON c.id = t.case_id
        WHERE t.case_id = (SELECT case_id FROM task WHERE id = $1) AND t.id <> $1`,
      [revisit.id],
    );
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ status: 'OPEN', step: 'revisit', round: 2 });
    expect(next[0].key).toMatch(/\/c2\/revisit$/);
    expect(next[0].due_at.getTime()).toBe(next[0].case_due.getTime());
    expect(next[0].due_at.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });
});
