import { RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';

/** A JetStream stream this system owns. Names get the installation prefix (NATS_STREAM_PREFIX). */
export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  /** Messages older than this are dropped (days). */
  maxAgeDays?: number;
}

const NANOS_PER_SECOND = 1_000_000_000;
/** Window in which JetStream drops a repeated Nats-Msg-Id. Covers an outbox relay retrying after a lost ack. */
export const DUPLICATE_WINDOW_SECONDS = 2 * 60 * 60;

export function streamName(prefix: string, name: string): string {
  return `${prefix}_${name}`;
}

/** Creates or updates each stream so the call is safe on every start. */
export async function ensureStreams(
  jsm: JetStreamManager,
  prefix: string,
  specs: StreamSpec[],
  replicas = 1,
): Promise<void> {
  for (const spec of specs) {
    const config = {
      name: streamName(prefix, spec.name),
      subjects: [...spec.subjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: DUPLICATE_WINDOW_SECONDS * NANOS_PER_SECOND,
      max_age: (spec.maxAgeDays ?? 90) * 24 * 3600 * NANOS_PER_SECOND,
      num_replicas: replicas,
    };
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add(config);
    }
  }
}

export function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10059 || e?.api_error?.err_code === 10014 || /not found/i.test(e?.message ?? '');
}
