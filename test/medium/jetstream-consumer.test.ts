import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { ensureConsumer, ensureStreams, outboxEvent, runConsumer, type DurableConsumerSpec } from '@jingzhun/platform';
import { ownNats, readStream, waitUntil } from '../support/nats';

jest.setTimeout(60_000);

const quiet = { warn: () => undefined, error: () => undefined };

describe('JetStream consumer helper on a real server', () => {
  let nats: Awaited<ReturnType<typeof ownNats>>;
  let nc: NatsConnection;
  const prefix = 'T';
  beforeAll(async () => {
    nats = await ownNats();
    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, prefix, [
      { name: 'EVENTS', subjects: ['things.>'] },
      { name: 'DLQ', subjects: ['dlq.>'] },
    ]);
    // Idempotent: a second start changes nothing and does not throw.
    await ensureStreams(jsm, prefix, [{ name: 'EVENTS', subjects: ['things.>'] }]);
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('acks after a successful handler, once per event, and JetStream drops a repeated Nats-Msg-Id', async () => {
    const spec: DurableConsumerSpec = { stream: 'EVENTS', durable: 'ok-consumer', filterSubjects: ['things.ok'] };
    const jsm = await jetstreamManager(nc);
    await ensureConsumer(jsm, prefix, spec);
    await ensureConsumer(jsm, prefix, spec);
    const js = jetstream(nc);
    const event = outboxEvent('test', 'things.ok', { n: 1 });
    const first = await js.publish('things.ok', JSON.stringify(event), { msgID: event.id });
    const again = await js.publish('things.ok', JSON.stringify(event), { msgID: event.id });
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);

    const seen: string[] = [];
    const abort = new AbortController();
    const loop = runConsumer(js, prefix, spec, async (e) => void seen.push(e.id), quiet, abort.signal);
    await waitUntil('the event to be handled', async () => seen.length === 1);
    await new Promise((r) => setTimeout(r, 500));
    const info = await jsm.consumers.info(`${prefix}_EVENTS`, 'ok-consumer');
    abort.abort();
    await loop;
    expect(seen).toEqual([event.id]);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('naks a failing handler with a delay, and dead-letters it on the last delivery', async () => {
    const spec: DurableConsumerSpec = {
      stream: 'EVENTS',
      durable: 'failing-consumer',
      filterSubjects: ['things.bad'],
      maxDeliver: 3,
      backoffMs: [200],
    };
    const jsm = await jetstreamManager(nc);
    await ensureConsumer(jsm, prefix, spec);
    const js = jetstream(nc);
    const event = outboxEvent('test', 'things.bad', { n: 2 });
    await js.publish('things.bad', JSON.stringify(event), { msgID: event.id });

    const attempts: number[] = [];
    const abort = new AbortController();
    const loop = runConsumer(
      js,
      prefix,
      spec,
      async (_e, msg) => {
        attempts.push(Date.now());
        expect(msg.info.deliveryCount).toBe(attempts.length);
        throw new Error('downstream unavailable');
      },
      quiet,
      abort.signal,
    );
    await waitUntil('the dead letter', async () =>
      (await readStream(nats.url, `${prefix}_DLQ`)).some((m) => m.data.id === event.id),
    );
    await new Promise((r) => setTimeout(r, 700));
    abort.abort();
    await loop;
    expect(attempts).toHaveLength(3);
    // Each redelivery waited for the nak delay.
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(180);
    const dead = (await readStream(nats.url, `${prefix}_DLQ`)).filter((m) => m.data.id === event.id);
    expect(dead).toHaveLength(1);
    expect(dead[0].subject).toBe(`dlq.${prefix}.failing-consumer`);
  });
});
