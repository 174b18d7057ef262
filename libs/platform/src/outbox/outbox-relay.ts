import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { Pool } from 'pg';
import { storedTraceHeaders } from '../tracing/tracing';

/**
 * Relays outbox rows to JetStream (Zehelein/pg-transactional-outbox style):
 * - a batch is leased with FOR UPDATE SKIP LOCKED, so several relays never send the same row at once;
 * - each row is published with Nats-Msg-Id = row id, so a publish repeated after a crash between
 *   "published" and "marked" is dropped by JetStream's duplicate window;
 * - a failed publish keeps the row, counts the attempt and backs off; nothing is lost while NATS is down.
 */
export interface OutboxRelayOptions {
  pool: Pool;
  /** Schema holding the service's `outbox` table. */
  schema: string;
  js: () => JetStreamClient | null;
  batchSize?: number;
  leaseSeconds?: number;
  log?: { warn(obj: object, msg: string): void };
}

interface OutboxRow {
  id: string;
  subject: string;
  payload: unknown;
  attempts: number;
  trace_context: string | null;
}

/** The row's trace context as NATS headers (W3C `traceparent` / `tracestate`), so the consumer's span joins the trace. */
function traceHeaders(row: OutboxRow) {
  const stored = Object.entries(storedTraceHeaders(row.trace_context));
  if (stored.length === 0) return undefined;
  const h = natsHeaders();
  for (const [k, v] of stored) h.set(k, v);
  return h;
}

export class OutboxRelay {
  private readonly table: string;

  constructor(private readonly opts: OutboxRelayOptions) {
    if (!/^[a-z_]+$/.test(opts.schema)) throw new Error(`unsafe schema name ${opts.schema}`);
    this.table = `"${opts.schema}"."outbox"`;
  }

  /** Publishes one leased batch. Returns how many rows were published. */
  async relayOnce(): Promise<number> {
    const js = this.opts.js();
    if (!js) return 0;
    const leaseSeconds = this.opts.leaseSeconds ?? 30;
    const { rows } = await this.opts.pool.query<OutboxRow>(
      `UPDATE ${this.table} o SET leased_until = now() + make_interval(secs => $2), attempts = o.attempts + 1
         WHERE o.id IN (
           SELECT id FROM ${this.table}
            WHERE published_at IS NULL AND (leased_until IS NULL OR leased_until < now())
            ORDER BY created_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.subject, o.payload, o.attempts, o.trace_context`,
      [this.opts.batchSize ?? 200, leaseSeconds],
    );
    if (rows.length === 0) return 0;
    const published: string[] = [];
    for (const row of rows) {
      try {
        await js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.id, headers: traceHeaders(row) });
        published.push(row.id);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // Exponential backoff capped at 30 s, so events move soon after NATS is back.
        const backoff = Math.min(30, 2 ** Math.min(row.attempts, 5));
        await this.opts.pool.query(
          `UPDATE ${this.table} SET last_error = $2, leased_until = now() + make_interval(secs => $3) WHERE id = $1`,
          [row.id, message.slice(0, 1000), backoff],
        );
        this.opts.log?.warn(
          { outboxId: row.id, subject: row.subject, attempts: row.attempts, reason: message },
          'outbox publish failed',
        );
        // NATS is probably down: stop this batch, the rest keep their lease and retry later.
        break;
      }
    }
    if (published.length > 0) {
      await this.opts.pool.query(
        `UPDATE ${this.table} SET published_at = now(), leased_until = NULL, last_error = NULL WHERE id = ANY($1::uuid[])`,
        [published],
      );
    }
    return published.length;
  }

  /** Loops until the signal aborts; sleeps `idleMs` when nothing was sent. */
  async run(signal: AbortSignal, idleMs: number): Promise<void> {
    while (!signal.aborted) {
      let sent = 0;
      try {
        sent = await this.relayOnce();
      } catch (err) {
        this.opts.log?.warn({ reason: (err as Error).message }, 'outbox relay cycle failed');
      }
      if (sent === 0) await sleep(idleMs, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
