/**
 * The engines `npm test` started. A test that needs one fails loudly when it is missing: it never skips.
 */
function required(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: run the suite with \`npm test\`, which starts PostgreSQL, NATS and Temporal for it`,
    );
  return v;
}

export const testEngines = {
  get templateDatabaseUrl() {
    return required('JZ_TEST_TEMPLATE_DATABASE_URL');
  },
  get natsUrl() {
    return required('JZ_TEST_NATS_URL');
  },
  get temporalAddress() {
    return required('JZ_TEST_TEMPORAL_ADDRESS');
  },
  get workflowBundle() {
    return required('JZ_WORKFLOW_BUNDLE');
  },
  get temporalTestServerBin() {
    return required('JZ_TEMPORAL_TEST_SERVER_BIN');
  },
  get natsBin() {
    return required('JZ_NATS_BIN');
  },
  get temporalBin() {
    return required('JZ_TEMPORAL_BIN');
  },
};

/**
 * A Temporal dev server of the test file's own (in memory, free port). Task queues are global to
 * a server: two files each running a registry worker on queue `registry` against the shared server
 * would take each other's activities, so a file that runs services of its own gets its own server.
 */
export async function ownTemporal(): Promise<{ address: string; stop: () => Promise<void> }> {
  const { freePort } = await import('../../tools/devkit/src/engines/net');
  const { ensureTemporal } = await import('../../tools/devkit/src/engines/temporal');
  // A free port can be taken between our look and the server's bind (another file's server picks its HTTP and
  // metrics ports at random at the same moment): a server that exits at start is tried again on another port.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const t = await ensureTemporal({
        address: `127.0.0.1:${port}`,
        namespace: 'default',
        bin: testEngines.temporalBin,
        dbFile: null,
        port,
        uiPort: null,
        log: () => undefined,
        reuse: false,
      });
      return { address: t.url, stop: async () => t.stop?.() };
    } catch (err) {
      if (attempt >= 3 || !/已退出/.test((err as Error).message)) throw err;
    }
  }
}
