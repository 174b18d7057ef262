import { RevisitSubjects, TaskSubjects } from '@jingzhun/contracts';
import { outboxEvent, uuidv7 } from '@jingzhun/platform';
import { DigestService } from '../../apps/notifications/src/digest';
import { Dispatcher } from '../../apps/notifications/src/dispatcher';
import { EventIntake } from '../../apps/notifications/src/intake';
import { NotifyPrisma } from '../../apps/notifications/src/prisma.service';
import { ChannelStandIns } from '../../tools/devkit/src/channel-standins';
import { freshDatabase } from '../support/database';
import { waitUntil } from '../support/nats';
import { startNotifications, type RunningService } from '../support/services';
import { Client } from 'pg';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(60_000);
const SECRET = 'medium-sms-gateway-secret-000000';
const DAYTIME = new Date('2026-11-30T02:00:00Z'); // 10:00 CST
const started = Date.now();
/** A clock that runs (retries need time to pass) from 10:00 China Standard Time. */
const daytime = () => new Date(DAYTIME.getTime() + (Date.now() - started));
const NIGHT = new Date('2026-11-30T15:30:00Z'); // 23:30 CST

/** The notifications service on real PostgreSQL, NATS and Temporal, with real SMS and SMTP stand-ins. */
describe('notifications: dedupe, channels, retries, quiet hours, inbox, digest', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let svc: RunningService;
  let channels: ChannelStandIns;
  let intake: EventIntake;
  let dispatcher: Dispatcher;
  let prisma: NotifyPrisma;
  let registry: RunningRegistry;
  let pg: Client;
  // Who a token's bearer is, is the registry's answer (the inbox asks it on every request).
  const token = async (id: string) => `Bearer ${await registry.token(id)}`;

  beforeAll(async () => {
    db = await freshDatabase('notify');
    channels = await new ChannelStandIns(SECRET).start();
    // The registry knows the users (in a region no other test uses); the contact directory below is
    // loaded by hand, as the registry would have given it.
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query(`INSERT INTO registry.region (code, name, level, parent_code, western, rural_population, updated_at) VALUES
      ('419999000000', '测试县', 'COUNTY', NULL, false, 0, now()), ('419999001000', '测试镇', 'TOWNSHIP', '419999000000', false, 0, now()),
      ('419999001001', '测试村', 'VILLAGE', '419999001000', false, 100, now())`);
    await pg.query(`INSERT INTO registry."user" (id, name, role, region_code) VALUES
      ('helper-1', '帮扶人', 'helper', '419999001001'), ('helper-2', '帮扶人2', 'helper', '419999001001'), ('township-1', '乡镇', 'township', '419999001000')`);
    registry = await startRegistry(db.url);
    svc = await startNotifications(db.url, {
      SMS_GATEWAY_URL: channels.smsUrl,
      SMS_GATEWAY_SECRET: SECRET,
      SMTP_URL: channels.smtpUrl,
      QUIET_HOURS: '22-7',
      DIGEST_THRESHOLD: '2',
      REGISTRY_URL: registry.baseUrl,
    });
    intake = svc.app.get(EventIntake);
    dispatcher = svc.app.get(Dispatcher);
    prisma = svc.app.get(NotifyPrisma);
    intake.now = dispatcher.now = daytime;
    // The contact directory, as the registry would have given it (no registry in this test). A region no
    // other test uses: the TASKS stream is shared by the test run, and this service consumes all of it.
    await prisma.recipient.createMany({
      data: [
        { id: 'helper-1', name: '帮扶人', role: 'helper', regionCode: '419999001001', phone: '13900000001' },
        { id: 'helper-2', name: '帮扶人2', role: 'helper', regionCode: '419999001001', phone: '13900000002' },
        {
          id: 'township-1',
          name: '乡镇',
          role: 'township',
          regionCode: '419999001000',
          phone: '13900000003',
          email: 'township@example.cn',
        },
      ],
    });
  });
  afterAll(async () => {
    await svc?.close();
    await registry?.close();
    await pg?.end();
    await channels?.stop();
    await db?.drop();
  });

  const revisit = (subject: string, taskId: string, extra: Record<string, unknown> = {}) =>
    outboxEvent('registry', subject, {
      taskId,
      caseId: uuidv7(),
      kind: 'follow_up',
      step: 'revisit',
      role: 'helper',
      regionCode: '419999001001',
      dueAt: '2026-12-31T16:00:00.000Z',
      householdId: uuidv7(),
      householdNumber: '41999900100100042',
      assigneeId: 'helper-1',
      ...extra,
    });

  it('one reminder per task per stage: a redelivered event and a second event of the same stage notify once', async () => {
    const taskId = uuidv7();
    const e = revisit(RevisitSubjects.reminder, taskId);
    expect(await intake.handle(e)).toBe('handled');
    expect(await intake.handle(e)).toBe('duplicate');
    expect(await intake.handle(revisit(RevisitSubjects.reminder, taskId))).toBe('handled'); // a new event id, the same stage
    expect(await prisma.notification.count({ where: { dedupeKey: `${taskId}:reminder` } })).toBe(1);
    await waitUntil('the SMS', async () =>
      channels.sms.some((m) => m.text.includes('41999900100100042') && m.text.includes('提醒')),
    );
    const sms = channels.sms.filter((m) => m.text.includes('提醒'));
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '13900000001', signatureValid: true });
    expect(sms[0].text).toContain('2027-01-01'); // the due date in China Standard Time
  });

  it('an event whose payload does not fit its subject is refused, and leaves nothing behind', async () => {
    const taskId = uuidv7();
    const e = revisit(RevisitSubjects.reminder, taskId, { dueAt: 'next week' });
    await expect(intake.handle(e)).rejects.toThrow(/revisits\.reminder: dueAt/);
    expect(await prisma.notification.count({ where: { dedupeKey: `${taskId}:reminder` } })).toBe(0);
    expect(await prisma.processedEvent.count({ where: { eventId: e.id } })).toBe(0);
  });

  it('a gateway failure is retried with backoff until it goes through; /metrics counts the retries and the send', async () => {
    const count = async (result: string) => {
      const text = (await svc.http.get('/metrics')).text;
      return text
        .split('\n')
        .filter(
          (l) =>
            l.startsWith('jingzhun_deliveries_total{') &&
            l.includes('channel="sms"') &&
            l.includes(`result="${result}"`),
        )
        .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    };
    const [retriesBefore, sentBefore] = [await count('retry'), await count('sent')];
    channels.failNext(2);
    const taskId = uuidv7();
    await intake.handle(revisit(RevisitSubjects.overdue, taskId));
    await waitUntil(
      'the retried SMS',
      async () =>
        (await prisma.delivery.findFirst({ where: { notification: { dedupeKey: `${taskId}:overdue` } } }))?.status ===
        'SENT',
    );
    const d = await prisma.delivery.findFirstOrThrow({ where: { notification: { dedupeKey: `${taskId}:overdue` } } });
    expect(d.attempts).toBe(3);
    expect(channels.sms.filter((m) => m.text.includes('逾期'))).toHaveLength(1);
    expect((await count('retry')) - retriesBefore).toBe(2);
    expect((await count('sent')) - sentBefore).toBeGreaterThanOrEqual(1);
  });

  it('an escalation reaches the township in-app, by SMS and by e-mail', async () => {
    const taskId = uuidv7();
    await intake.handle(
      revisit(RevisitSubjects.escalated, taskId, { escalatedTo: { role: 'township', regionCode: '419999001000' } }),
    );
    await waitUntil(
      'the e-mail and the SMS',
      async () =>
        channels.mail.some((m) => m.to.includes('township@example.cn')) &&
        channels.sms.some((m) => m.to === '13900000003'),
    );
    const mail = channels.mail.find((m) => m.to.includes('township@example.cn'))!;
    expect(mail.subject).toBe('督办: 回访');
    expect(mail.text).toContain('41999900100100042');
    expect(channels.sms.some((m) => m.to === '13900000003' && m.text.includes('督办'))).toBe(true);
  });

  it('no SMS at night: deferred to 07:00, never dropped', async () => {
    intake.now = dispatcher.now = () => NIGHT;
    try {
      const taskId = uuidv7();
      await intake.handle(
        outboxEvent('registry', TaskSubjects.reminder, {
          taskId,
          caseId: uuidv7(),
          kind: 'exit',
          step: 'village.appraisal',
          role: 'helper',
          regionCode: '419999001001',
          dueAt: '2026-12-02T16:00:00.000Z',
          householdId: null,
          householdNumber: '41999900100100043',
          assigneeId: 'helper-2',
        }),
      );
      const d = await prisma.delivery.findFirstOrThrow({
        where: { notification: { dedupeKey: `${taskId}:reminder` } },
      });
      expect(d.deferred).toBe(true);
      expect(d.nextAttemptAt.toISOString()).toBe('2026-11-30T23:00:00.000Z');
      await dispatcher.runOnce();
      expect(channels.sms.some((m) => m.to === '13900000002')).toBe(false);
      intake.now = dispatcher.now = () => new Date('2026-11-30T23:01:00Z'); // 07:01 CST
      await waitUntil('the morning SMS', async () => channels.sms.some((m) => m.to === '13900000002'));
    } finally {
      intake.now = dispatcher.now = daytime;
    }
  });

  it('each user reads only their own inbox; read marks count down', async () => {
    const list = await svc.http.get('/notifications').set('authorization', await token('helper-1'));
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    expect(
      list.body.items.every((n: { body: string }) => !/\d{17}[\dX]/.test(n.body.replace(/41999900100100\d{3}/g, ''))),
    ).toBe(true);
    const before = (await svc.http.get('/notifications/unread-count').set('authorization', await token('helper-1')))
      .body.unread;
    const id = list.body.items[0].id;
    expect(
      (await svc.http.post(`/notifications/${id}/read`).set('authorization', await token('helper-2'))).status,
    ).toBe(404);
    expect(
      (await svc.http.post(`/notifications/${id}/read`).set('authorization', await token('helper-1'))).status,
    ).toBe(200);
    expect(
      (await svc.http.get('/notifications/unread-count').set('authorization', await token('helper-1'))).body.unread,
    ).toBe(before - 1);
    expect((await svc.http.get('/notifications').set('authorization', 'Bearer nonsense')).status).toBe(401);
    // Deactivated in the registry: the same token is refused on the next request.
    const helper2 = await token('helper-2');
    expect((await svc.http.get('/notifications').set('authorization', helper2)).status).toBe(200);
    await pg.query(`UPDATE registry."user" SET active = false WHERE id = 'helper-2'`);
    const refused = await svc.http.get('/notifications').set('authorization', helper2);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('用户不存在或已停用');
  });

  it('a daily digest for a cadre with more open items than the policy number, once a day', async () => {
    for (let i = 0; i < 3; i++)
      await intake.handle(revisit(RevisitSubjects.opened, uuidv7(), { assigneeId: 'helper-2' }));
    const digests = svc.app.get(DigestService);
    const first = await digests.sendDigests(DAYTIME);
    expect(first.digests).toBe(1);
    expect((await digests.sendDigests(DAYTIME)).digests).toBe(0);
    const d = await prisma.notification.findFirstOrThrow({ where: { userId: 'helper-2', kind: 'digest' } });
    expect(d.title).toBe('每日待办汇总: 3 项');
  });

  it('revisit reminders batched per helper per day (#23): one message a morning for every revisit due within the week', async () => {
    const soon = ['2026-12-02T04:00:00.000Z', '2026-12-04T04:00:00.000Z'];
    for (const [i, dueAt] of [...soon, '2026-12-20T04:00:00.000Z'].entries())
      await intake.handle(
        revisit(RevisitSubjects.opened, uuidv7(), { dueAt, householdNumber: `4199990010010070${i}` }),
      );
    const digests = svc.app.get(DigestService);
    const first = await digests.sendDigests(DAYTIME);
    expect(first.revisitReminders).toBeGreaterThanOrEqual(1);
    const mine = await prisma.notification.findMany({
      where: { userId: 'helper-1', dedupeKey: 'revisit-reminders:2026-11-30' },
    });
    expect(mine).toHaveLength(1);
    expect(mine[0].title).toBe('本周待回访 2 户');
    expect(mine[0].body).toContain('41999900100100700、41999900100100701');
    expect(mine[0].body).not.toContain('41999900100100702');
    const sms = await prisma.delivery.findMany({ where: { notificationId: mine[0].id } });
    expect(sms.map((d) => [d.channel, d.address])).toEqual([['sms', '13900000001']]);
    // The same morning again: nothing new.
    await digests.sendDigests(DAYTIME);
    expect(
      await prisma.notification.count({
        where: { userId: 'helper-1', dedupeKey: { startsWith: 'revisit-reminders:' } },
      }),
    ).toBe(1);
  });
});
