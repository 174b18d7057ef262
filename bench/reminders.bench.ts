import { NestFactory } from '@nestjs/core';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { RevisitSubjects, Streams } from '@jingzhun/contracts';
import { outboxEvent } from '@jingzhun/platform';
import { NotificationsModule } from '../apps/notifications/src/app.module';
import { loadNotificationsConfig } from '../apps/notifications/src/notifications.config';
import { NotifyPrisma } from '../apps/notifications/src/prisma.service';
import { ChannelStandIns } from '../tools/devkit/src/channel-standins';
import { benchEngines } from './bench-engines';
import { profileArgs, readings, spawnApp, stopProcess, usageSince } from './proc-stats';
import { freePort } from '../tools/devkit/src/engines/net';
import { Pool } from 'pg';
import { row, type BenchRow } from './table';

/**
 * `npm run bench:reminders [-- --count N]`: N overdue-revisit events published on JetStream and
 * fanned out by the real notifications service (durable consumer, dedupe, inbox row, SMS delivery
 * through the dispatcher to the gateway stand-in), beside raw JetStream publish + consume + ack
 * of the same messages, in the same run on the same server.
 */
export async function benchReminders(args: string[]): Promise<BenchRow[]> {
  const count = args.includes('--count') ? Number(args[args.indexOf('--count') + 1]) : 10_000;
  const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
  const engines = await benchEngines({ temporal: false });
  const { stops, url } = engines;
  const nats = { url: engines.natsUrl };
  try {
    const secret = 'bench-sms-gateway-secret-000000';
    const channels = await new ChannelStandIns(secret).start();
    stops.push(() => channels.stop());

    const events = Array.from({ length: count }, (_, i) => {
      const n = String(i).padStart(5, '0');
      const village = `4115990${String(1 + (i % 10)).padStart(2, '0')}${String(1 + (i % 100)).padStart(3, '0')}`;
      return outboxEvent('registry', RevisitSubjects.overdue, {
        taskId: `01900000-0000-7000-8000-0000000${n.padStart(5, '0')}`,
        caseId: '01900000-0000-7000-8000-000000000000',
        kind: 'follow_up',
        step: 'revisit',
        role: 'helper',
        regionCode: village,
        dueAt: new Date().toISOString(),
        householdId: '01900000-0000-7000-8000-000000000001',
        householdNumber: `${village}${n}`,
        assigneeId: `bench-helper-${i}`,
      });
    });
    const payloads = events.map((e) => JSON.stringify(e));

    // Baseline: raw JetStream, the same messages published, consumed and acked on a stream of their own.
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'] });
    await jsm.consumers.add('BENCH_RAW', { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
    const js = jetstream(nc);
    const t0 = performance.now();
    await Promise.all(payloads.map((p, i) => js.publish('bench.raw.revisits.overdue', p, { msgID: events[i].id })));
    const consumer = await js.consumers.get('BENCH_RAW', 'raw');
    const messages = await consumer.consume({ max_messages: 1000 });
    let got = 0;
    for await (const m of messages) {
      JSON.parse(m.string());
      m.ack();
      if (++got >= count) break;
    }
    const rawMs = performance.now() - t0;

    // The real path. Contacts are preloaded into the service's directory (no registry in this bench).
    const serviceEnv = {
      DATABASE_URL: url,
      NATS_URL: nats.url,
      LOG_LEVEL: 'silent',
      QUIET_HOURS: 'none',
      SMS_GATEWAY_URL: channels.smsUrl,
      SMS_GATEWAY_SECRET: secret,
      DISPATCH_POLL_MS: '20',
      REGISTRY_URL: 'http://127.0.0.1:9',
      TEMPORAL_ADDRESS: '127.0.0.1:9',
    };
    const config = loadNotificationsConfig({ ...process.env, ...serviceEnv });
    // Contacts preloaded through the service's own client in this process, then closed: the measured
    // notifications service runs as deployed, in a process of its own.
    const seeder = await NestFactory.createApplicationContext(NotificationsModule.forRoot(config), { logger: false });
    const prisma = seeder.get(NotifyPrisma);
    const contacts = events.map((e, i) => ({
      id: `bench-helper-${i}`,
      name: `帮扶人${i}`,
      role: 'helper',
      regionCode: String(e.data.regionCode),
      phone: `139${String(i).padStart(8, '0')}`,
    }));
    // In chunks: past PostgreSQL's bind-parameter limit Prisma splits one createMany into statements that
    // it sends on one connection at once, which is what pg warned about ("client is already executing a query").
    for (let i = 0; i < contacts.length; i += 2000)
      await prisma.recipient.createMany({ data: contacts.slice(i, i + 2000) });
    await seeder.close();
    const service = await spawnApp(
      'notifications',
      { ...serviceEnv, NOTIFICATIONS_PORT: String(await freePort()), NOTIFICATIONS_HOST: '127.0.0.1' },
      profileArgs(args, 'notifications'),
    );
    stops.push(() => stopProcess(service));
    const procs = new Map([['notifications', service]]);
    const pool = new Pool({ connectionString: url, options: '-c search_path=notify' });
    stops.push(() => pool.end());
    const notified = async () =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification`)).rows[0].n;
    await jsm.streams
      .add({ name: `${config.NATS_STREAM_PREFIX}_${Streams.tasks.name}`, subjects: [...Streams.tasks.subjects] })
      .catch(() => undefined);
    const before = readings(procs);
    const t1 = performance.now();
    await Promise.all(payloads.map((p, i) => js.publish(RevisitSubjects.overdue, p, { msgID: events[i].id })));
    let last = 0;
    let inboxMs = 0;
    while (channels.sms.length < count) {
      await new Promise((r) => setTimeout(r, 200));
      if (!inboxMs && (await notified()) === count) inboxMs = performance.now() - t1;
      if (channels.sms.length - last >= 1000 || channels.sms.length === count) {
        last = channels.sms.length;
        out(`  已送达短信 ${last}/${count}`);
      }
    }
    const realMs = performance.now() - t1;
    const usage = usageSince(before, procs)
      .map(
        (p) => `${p.name} ${((p.cpuS * 1000) / count).toFixed(2)} ms CPU/reminder, peak ${p.peakRssMb.toFixed(0)} MB`,
      )
      .join('; ');
    const inbox = await notified();
    await nc.close();
    if (inbox !== count) throw new Error(`站内通知 ${inbox} 条, 应为 ${count}`);

    out('');
    out(
      `基线  JetStream 原始发布+消费+确认 ${count} 条: ${(rawMs / 1000).toFixed(2)} s (${Math.round(count / (rawMs / 1000))}/s)`,
    );
    out(
      `实际  逾期提醒 → 站内通知 ${inbox} 条 + 短信 ${channels.sms.length} 条 (去重, 签名, 重试): ${(realMs / 1000).toFixed(2)} s (${Math.round(count / (realMs / 1000))}/s)`,
    );
    out(
      `比值  提醒 / 原始 JetStream = ${(realMs / rawMs).toFixed(1)}x   (站内通知全部写入用时 ${(inboxMs / 1000).toFixed(2)} s, 其后为短信发送)`,
    );
    out(`进程  ${usage}`);
    return [
      row(
        `${count.toLocaleString('en')} overdue reminders to inboxes + SMS vs raw JetStream publish/consume (${usage})`,
        `${(realMs / 1000).toFixed(2)} s`,
        `${(rawMs / 1000).toFixed(2)} s`,
        realMs / rawMs,
        // #23: ≤ 2.5× at 10 000, ≤ 2× at 2 000 and below.
        { atMost: count <= 2_000 ? 2 : 2.5 },
      ),
    ];
  } finally {
    await engines.close();
  }
}
