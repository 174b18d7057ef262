import { uuidv7 } from '../ids/uuidv7';
import type { EventEnvelope } from '../nats/event-envelope';

/** Builds the envelope stored in an outbox row; the row id equals the event id. */
export function outboxEvent<T extends Record<string, unknown>>(
  source: string,
  subject: string,
  data: T,
): EventEnvelope<T> {
  return { id: uuidv7(), subject, occurredAt: new Date().toISOString(), source, data };
}
