import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { eventEnvelopeSchema, type EventEnvelope } from './event-envelope';
import { isNotFound, streamName } from './streams';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, TRACE_HEADERS } from '../tracing/tracing';

function messageTraceHeaders(msg: JsMsg): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of TRACE_HEADERS) {
    const v = msg.headers?.get(k);
    if (v) out[k] = v;
  }
  return out;
}

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubjects: string[];
  /** Deliveries before the message is dead-lettered. */
  maxDeliver?: number;
  /** Seconds the server waits for an ack before redelivering. */
  ackWaitSeconds?: number;
  /** Delays before each redelivery after a failed handler (ms); the last one repeats. */
  backoffMs?: number[];
  /** Messages handled at once (default 1: in order). Handlers must then be safe to run concurrently. */
  concurrency?: number;
  /** Delete each message from the stream once handled or dead-lettered (what it holds is kept no longer than needed). */
  removeAfterIntake?: boolean;
  /** What a dead letter keeps of the message (e.g. an ID number replaced by its keyed hash); default the message as is. */
  deadLetterData?: (data: Uint8Array) => Uint8Array;
}

/** A failure retrying cannot mend (a malformed message, one refused for who sent it): dead-lettered at once. */
export class PermanentError extends Error {}

export type EventHandler = (event: EventEnvelope, msg: JsMsg) => Promise<void>;

export interface ConsumerLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const NANOS_PER_MS = 1_000_000;

export async function ensureConsumer(jsm: JetStreamManager, prefix: string, spec: DurableConsumerSpec): Promise<void> {
  const stream = streamName(prefix, spec.stream);
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    // One subject as filter_subject: servers before 2.10 (the pip nats-server here) know no filter_subjects.
    ...(spec.filterSubjects.length === 1
      ? { filter_subject: spec.filterSubjects[0] }
      : { filter_subjects: spec.filterSubjects }),
    max_deliver: spec.maxDeliver ?? 5,
    ack_wait: (spec.ackWaitSeconds ?? 30) * 1000 * NANOS_PER_MS,
  };
  try {
    await jsm.consumers.info(stream, spec.durable);
    await jsm.consumers.update(stream, spec.durable, config);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(stream, config);
  }
}

/**
 * Settlement as STYLE.md asks: ack only after the handler succeeds; on failure nak with a delay;
 * on the last allowed delivery publish the message to `dlq.<stream>.<durable>` and terminate it,
 * so nothing loops forever and nothing is silently dropped.
 */
export async function settle(
  js: JetStreamClient,
  prefix: string,
  spec: DurableConsumerSpec,
  msg: JsMsg,
  handler: EventHandler,
  log: ConsumerLogger,
): Promise<'acked' | 'nacked' | 'dead-lettered'> {
  const maxDeliver = spec.maxDeliver ?? 5;
  const backoff = spec.backoffMs ?? [1000, 5000, 30000];
  let event: EventEnvelope;
  try {
    event = eventEnvelopeSchema.parse(msg.json()) as EventEnvelope;
  } catch (err) {
    await deadLetter(js, prefix, spec, msg, `invalid envelope: ${(err as Error).message}`);
    return 'dead-lettered';
  }
  try {
    // The handling is a span of the publisher's trace (the outbox relay sent its traceparent).
    await inSpan(
      `consume ${msg.subject}`,
      {
        kind: SpanKind.CONSUMER,
        parent: () => messageTraceHeaders(msg),
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': msg.subject,
          'messaging.consumer.group.name': spec.durable,
        },
      },
      () => handler(event, msg),
    );
    msg.ack();
    return 'acked';
  } catch (err) {
    const attempt = msg.info.deliveryCount;
    const reason = err instanceof Error ? err.message : String(err);
    if (attempt >= maxDeliver || err instanceof PermanentError) {
      log.error({ eventId: event.id, subject: msg.subject, attempt, reason }, 'event dead-lettered');
      await deadLetter(js, prefix, spec, msg, reason);
      return 'dead-lettered';
    }
    const delay = backoff[Math.min(attempt - 1, backoff.length - 1)];
    log.warn({ eventId: event.id, subject: msg.subject, attempt, delay, reason }, 'event handler failed; redelivering');
    msg.nak(delay);
    return 'nacked';
  }
}

async function deadLetter(js: JetStreamClient, prefix: string, spec: DurableConsumerSpec, msg: JsMsg, reason: string) {
  const headers = natsHeaders();
  headers.set('Jz-Dead-Letter-Reason', reason.slice(0, 500));
  headers.set('Jz-Original-Subject', msg.subject);
  let data = msg.data;
  try {
    if (spec.deadLetterData) data = spec.deadLetterData(msg.data);
  } catch {
    data = new TextEncoder().encode(JSON.stringify({ unreadable: true, bytes: msg.data.length })); // never the raw bytes of a message it could not redact
  }
  await js.publish(`dlq.${prefix}.${spec.durable}`, data, { headers, msgID: `dlq-${spec.durable}-${msg.seq}` });
  msg.term(reason.slice(0, 200));
}

/** Runs a consumer loop until `signal` aborts. Each message is settled with `settle`. */
export async function runConsumer(
  js: JetStreamClient,
  prefix: string,
  spec: DurableConsumerSpec,
  handler: EventHandler,
  log: ConsumerLogger,
  signal: AbortSignal,
): Promise<void> {
  const consumer = await js.consumers.get(streamName(prefix, spec.stream), spec.durable);
  const messages = await consumer.consume({ max_messages: 256 });
  const stop = () => void messages.close();
  signal.addEventListener('abort', stop, { once: true });
  const limit = Math.max(1, spec.concurrency ?? 1);
  const jsm = spec.removeAfterIntake ? await js.jetstreamManager() : null;
  const stream = streamName(prefix, spec.stream);
  const handle = async (msg: JsMsg) => {
    const outcome = await settle(js, prefix, spec, msg, handler, log);
    if (jsm && outcome !== 'nacked')
      await jsm.streams
        .deleteMessage(stream, msg.seq, false)
        .catch((err: Error) =>
          log.warn({ subject: msg.subject, reason: err.message }, 'message not removed after intake'),
        );
  };
  const inflight = new Set<Promise<unknown>>();
  try {
    for await (const msg of messages) {
      if (limit === 1) {
        await handle(msg);
        continue;
      }
      const p: Promise<unknown> = handle(msg)
        .catch((err) => log.error({ subject: msg.subject, reason: (err as Error).message }, 'settle failed'))
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= limit) await Promise.race(inflight);
    }
  } finally {
    await Promise.allSettled(inflight);
    signal.removeEventListener('abort', stop);
  }
}
