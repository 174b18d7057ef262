/**
 * The engines `npm test` started. A test that needs one fails loudly when it is missing: it never skips.
 */
function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts PostgreSQL, NATS and Temporal for it`);
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
};
