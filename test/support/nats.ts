import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from '../../tools/devkit/src/engines/net';
import { startNats } from '../../tools/devkit/src/engines/nats';
import { testEngines } from './engines';

/** A nats-server of the test's own, which it may stop and start again on the same port and store. */
export async function ownNats() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'jz-nats-'));
  let engine = await startNats({ bin: testEngines.natsBin, dataDir, port, log: () => undefined });
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      await engine.stop?.();
    },
    async start() {
      engine = await startNats({ bin: testEngines.natsBin, dataDir, port, log: () => undefined });
    },
  };
}

/** Every message of a stream, oldest first, read with an ordered consumer. */
export async function readStream(url: string, stream: string): Promise<{ subject: string; data: any }[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const total = info.state.messages;
    const out: { subject: string; data: any }[] = [];
    if (total === 0) return out;
    const consumer = await jetstream(nc).consumers.get(stream);
    const messages = await consumer.fetch({ max_messages: total, expires: 5000 });
    for await (const m of messages) {
      out.push({ subject: m.subject, data: m.json() });
      if (out.length >= total) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
