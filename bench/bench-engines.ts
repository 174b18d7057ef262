import { join } from 'node:path';
import { freePort } from '../tools/devkit/src/engines/net';
import { startNats } from '../tools/devkit/src/engines/nats';
import { dropDatabase, ensureDatabase } from '../tools/devkit/src/engines/postgres';
import { ensureTemporal } from '../tools/devkit/src/engines/temporal';
import { migrateAll } from '../tools/devkit/src/migrate';
import { DATA, ROOT, requiredEnv } from '../tools/devkit/src/paths';
import { buildWorkflowBundle } from '../apps/worker/src/workflow-bundle';

export interface BenchEngines {
  /** A fresh, migrated database of the bench's own. */
  url: string;
  natsUrl: string;
  /** Set when asked for: an in-memory Temporal dev server of the bench's own, and the workflow bundle. */
  temporalUrl: string;
  bundle: string;
  /** Things to stop when the bench ends, latest first. */
  stops: (() => Promise<void>)[];
  close(): Promise<void>;
}

/** Engines of the bench's own (so it runs beside `npm run dev`): database, nats-server, optionally Temporal. */
export async function benchEngines(opts: { temporal: boolean; temporalDbFile?: string }): Promise<BenchEngines> {
  const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `jz_bench_${Date.now().toString(36)}`;
  const url = await ensureDatabase(server, dbName);
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await dropDatabase(server, dbName).catch(() => undefined);
  };
  try {
    await migrateAll(ROOT, url, () => undefined);
    const natsPort = await freePort();
    const nats = await startNats({
      bin: requiredEnv('JZ_NATS_BIN'),
      dataDir: join(DATA, 'bench', `nats-${natsPort}`),
      port: natsPort,
      log: () => undefined,
    });
    stops.push(() => nats.stop!());
    let temporalUrl = '';
    let bundle = '';
    if (opts.temporal) {
      const tPort = await freePort();
      const temporal = await ensureTemporal({
        address: `127.0.0.1:${tPort}`,
        namespace: 'default',
        bin: requiredEnv('JZ_TEMPORAL_BIN'),
        dbFile: opts.temporalDbFile ?? null,
        port: tPort,
        uiPort: null,
        log: () => undefined,
        reuse: false,
      });
      stops.push(() => temporal.stop!());
      temporalUrl = temporal.url;
      bundle = await buildWorkflowBundle(
        join(DATA, 'bench', 'workflow-bundle.js'),
        join(ROOT, 'bench', 'workflows.ts'),
      );
    }
    return { url, natsUrl: nats.url, temporalUrl, bundle, stops, close };
  } catch (err) {
    await close();
    throw err;
  }
}
