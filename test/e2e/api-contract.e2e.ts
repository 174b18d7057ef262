import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { A, users } from '../support/fixtures';
import { ownTemporal } from '../support/engines';
import { procedureStack } from '../support/procedure-stack';
import { startMonitoring, startNotifications, type RunningService } from '../support/services';
import { nextIdNumber } from '../support/id-numbers';
import { freePort } from '../../tools/devkit/src/engines/net';
import { startNats } from '../../tools/devkit/src/engines/nats';
import type { Engine } from '../../tools/devkit/src/engines/engine';
import { testEngines } from '../support/engines';

jest.setTimeout(900_000);

/** Bounds of one service's run: examples per operation, and a time cap for the whole run. */
const MAX_EXAMPLES = Number(process.env.JZ_SCHEMATHESIS_EXAMPLES ?? 25);
const MAX_SECONDS = Number(process.env.JZ_SCHEMATHESIS_SECONDS ?? 45);
const CHECKS = 'not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance';

interface StRun {
  code: number;
  output: string;
  operations: number;
  requests: number;
}

function schemathesis(docFile: string, baseUrl: string, token: string, reportDir: string): Promise<StRun> {
  const bin = process.env.JZ_SCHEMATHESIS_BIN;
  if (!bin)
    throw new Error('JZ_SCHEMATHESIS_BIN is not set: run through `npm test`, which installs Schemathesis from PyPI');
  const args = [
    'run',
    docFile,
    '--url',
    baseUrl,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    CHECKS,
    '--max-examples',
    String(MAX_EXAMPLES),
    '--max-time',
    String(MAX_SECONDS),
    '--seed',
    '20261203',
    // One worker: with threads, CPython 3.11's ast can fail inside Hypothesis ("AST constructor recursion depth mismatch").
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--suppress-health-check',
    'all',
    '--no-color',
    '--report',
    'ndjson',
    '--report-dir',
    reportDir,
  ];
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } },
      (err, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        const code = err ? Number((err as { code?: unknown }).code ?? 1) : 0;
        const operations = Number(/Tested:\s*(\d+)/.exec(output)?.[1] ?? /(\d+)\s+operations?/i.exec(output)?.[1] ?? 0);
        const requests = Number(/(\d+)\s+generated/.exec(output)?.[1] ?? /Test cases:\s*(\d+)/.exec(output)?.[1] ?? 0);
        resolve({ code, output, operations, requests });
      },
    );
  });
}

/**
 * Schemathesis against the three services' OpenAPI documents (security review, finding 17): every
 * generated request, valid or not, gets no 5xx, a documented status code, and a body that conforms to
 * the documented schema. Bounded by examples per operation and a time cap; prints the counts.
 */
describe('the API documents tell the truth (Schemathesis)', () => {
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let monitoring: RunningService;
  let notifications: RunningService;
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  let nats: Engine;
  const dir = mkdtempSync(join(tmpdir(), 'jz-st-'));

  beforeAll(async () => {
    server = await ownTemporal();
    // NATS of its own too: its monitoring and notifications consumers must not take other files' events.
    nats = await startNats({
      bin: testEngines.natsBin,
      dataDir: join(dir, 'nats'),
      port: await freePort(),
      log: () => undefined,
    });
    const engines = { TEMPORAL_ADDRESS: server.address, NATS_URL: nats.url };
    stack = await procedureStack('apicontract', server.address, { NATS_URL: nats.url });
    monitoring = await startMonitoring(stack.db.url, { REGISTRY_URL: stack.registry.baseUrl, ...engines });
    notifications = await startNotifications(stack.db.url, { REGISTRY_URL: stack.registry.baseUrl, ...engines });
    // Something to read: a household in the county, so list and detail routes return rows.
    const token = await stack.registry.token(users.countyA);
    const res = await stack.registry.http
      .post('/households')
      .set('authorization', `Bearer ${token}`)
      .send({
        villageCode: A.village,
        mainCause: 'ILLNESS',
        members: [{ name: '测试户主', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await notifications?.close();
    await monitoring?.close();
    await stack?.close();
    await server?.stop();
    await nats?.stop?.();
  });

  const services = (): [string, { baseUrl: string }, string][] => [
    ['registry', stack.registry, users.countyA],
    ['registry (admin)', stack.registry, users.admin],
    ['monitoring', monitoring, users.countyA],
    ['monitoring (department)', monitoring, users.departmentA],
    ['notifications', notifications, users.villageA],
  ];

  it('no 5xx, documented status codes, conforming bodies, on every operation of every service', async () => {
    const failures: string[] = [];
    for (const [label, service, login] of services()) {
      const doc = (await fetch(`${service.baseUrl}/docs/openapi.json`).then((r) => r.json())) as {
        paths: Record<string, object>;
      };
      const file = join(dir, `${label.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const token = await stack.registry.token(login);
      const run = await schemathesis(file, service.baseUrl, token, join(dir, label.replace(/\W+/g, '-')));
      const documented = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      process.stdout.write(
        `[schemathesis] ${label} as ${login}: ${run.operations} of ${documented} operations, ${run.requests} generated requests, exit ${run.code}\n`,
      );
      expect(run.operations).toBeGreaterThan(0);
      if (run.code !== 0) failures.push(`── ${label} ──\n${run.output.slice(-20_000)}`);
    }
    if (failures.length) throw new Error(failures.join('\n'));
  });
});
