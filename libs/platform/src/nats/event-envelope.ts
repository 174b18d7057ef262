import { z } from 'zod';

/** Every event on JetStream has this envelope. `id` is the Nats-Msg-Id and the consumers' dedupe key. */
export const eventEnvelopeSchema = z.object({
  id: z.string().uuid(),
  subject: z.string().min(1),
  occurredAt: z.string().datetime(),
  source: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope<T extends Record<string, unknown> = Record<string, unknown>> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'data'
> & { data: T };
