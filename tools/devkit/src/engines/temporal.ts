import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_TYPES } from '@jingzhun/contracts';
import type { Engine, Log } from './engine';
import { freePort, isPortOpen, waitFor } from './net';
import { spawnEngine } from './process';

/** Search attributes admins filter by in the Web UI (DESIGN.md), as libs/contracts defines them. */
export const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_TYPES;

export const INDEXED_TYPE = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

async function reachable(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  if (!(await isPortOpen(host, Number(port)))) return false;
  try {
    const c = await Connection.connect({ address, connectTimeout: 2000 });
    try {
      await c.withDeadline(Date.now() + 2000, () => c.workflowService.getSystemInfo({}));
      return true;
    } finally {
      await c.close();
    }
  } catch {
    return false;
  }
}

/** Registers the search attributes on a server we reuse (no-op for those already there). */
export async function registerSearchAttributes(address: string, namespace: string): Promise<void> {
  const c = await Connection.connect({ address });
  try {
    const existing = await c.operatorService.listSearchAttributes({ namespace });
    const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !(name in (existing.customAttributes ?? {})));
    if (missing.length === 0) return;
    await c.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([n, t]) => [n, INDEXED_TYPE[t]])),
    });
  } finally {
    await c.close();
  }
}

/**
 * Reuses Temporal at `address` when it answers, else starts `temporal server start-dev` with its
 * Web UI and a SQLite file (`dbFile`; null = in memory), search attributes pre-registered.
 */
export async function ensureTemporal(opts: {
  address: string;
  namespace: string;
  bin: string;
  dbFile: string | null;
  port: number;
  uiPort: number | null;
  log: Log;
  reuse?: boolean;
}): Promise<Engine> {
  if (opts.reuse !== false && (await reachable(opts.address))) {
    await registerSearchAttributes(opts.address, opts.namespace);
    return { name: 'Temporal', url: opts.address, started: false };
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
  ];
  // The CLI picks its HTTP API and metrics ports at random among the free ones, and our gRPC port is still
  // free until the server binds it: a fresh-clone run once died on "bind: address already in use" when
  // the HTTP API drew the gRPC port. Every port is ours to choose, all distinct.
  const taken = new Set([opts.port, opts.uiPort ?? 0]);
  const distinct = async () => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  args.push('--http-port', String(await distinct()), '--metrics-port', String(await distinct()));
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  const logFile = opts.dbFile
    ? join(dirname(opts.dbFile), 'temporal.log')
    : join(process.cwd(), '.data', `temporal-${opts.port}.log`);
  const proc = spawnEngine(opts.bin, args, logFile);
  const address = `127.0.0.1:${opts.port}`;
  await waitFor(
    'Temporal',
    async () => {
      if (proc.exited()) throw new Error(`temporal server 已退出, 见 ${logFile}`);
      return reachable(address);
    },
    60_000,
    500,
  );
  return {
    name: 'Temporal (本地 dev server)',
    url: address,
    started: true,
    extra: opts.uiPort ? { 'Temporal Web UI': `http://127.0.0.1:${opts.uiPort}` } : undefined,
    stop: () => proc.stop('SIGTERM', 10_000),
    kill: () => proc.stop('SIGKILL'),
  };
}
