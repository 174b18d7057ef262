import { users } from '../support/fixtures';
import { ownTemporal } from '../support/engines';
import { procedureStack } from '../support/procedure-stack';
import { crashableProcess } from '../support/chaos';
import { freePort } from '../../tools/devkit/src/engines/net';
import { testEngines } from '../support/engines';
import { records } from '../support/records';

jest.setTimeout(180_000);

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus' text format, as the scrape gives it. */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

/** #12 §1: /metrics moves with the work, and no label carries a person or a household. */
describe('metrics', () => {
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  beforeAll(async () => {
    server = await ownTemporal();
    stack = await procedureStack('metrics', server.address);
  });
  afterAll(async () => {
    await stack?.close();
    await server?.stop();
  });

  const scrape = async () => {
    const res = await stack.registry.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return { text: res.text, samples: parse(res.text) };
  };

  it('a decision moves the decision counter, the HTTP histogram of its route, the cases in flight and the open tasks of its township', async () => {
    const { registry, auth, inboxTask, A } = stack;
    const household = await stack.exitEligibleHousehold();
    const started = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度脱贫退出' });
    expect(started.status).toBe(201);
    const appraisal = await inboxTask(users.villageA, 'village.appraisal', started.body.id);

    const before = await scrape();
    const r = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '评议通过', data: records.appraisal() });
    expect(r.status).toBe(200);
    await inboxTask(users.villageA, 'village.verification', started.body.id);
    const after = await scrape();

    const decided = { kind: 'exit', step: 'village.appraisal', decision: 'approve' };
    expect(
      value(after.samples, 'jingzhun_decisions_total', decided) -
        value(before.samples, 'jingzhun_decisions_total', decided),
    ).toBe(1);
    const route = { route: '/tasks/:id/decision', method: 'POST', status: '200' };
    expect(
      value(after.samples, 'jingzhun_http_request_duration_seconds_count', route) -
        value(before.samples, 'jingzhun_http_request_duration_seconds_count', route),
    ).toBe(1);
    expect(value(after.samples, 'jingzhun_cases_in_flight', { kind: 'exit' })).toBeGreaterThanOrEqual(1);
    // The appraisal closed and the verification opened: the township's open tasks stay at least one.
    expect(value(after.samples, 'jingzhun_open_tasks', { township: A.township })).toBeGreaterThanOrEqual(1);
    expect(after.samples.some((s) => s.name === 'jingzhun_outbox_backlog')).toBe(true);
    expect(after.samples.every((s) => s.labels.service === 'registry')).toBe(true);

    // Labels are route templates and region codes: no task or household id, number, name or ID number.
    for (const secret of [appraisal.id, household.id, household.number, household.headId, '退出户主'])
      expect(after.text).not.toContain(secret);
  });

  it("the workflow worker serves the Temporal SDK's worker metrics where TEMPORAL_METRICS_BIND says", async () => {
    const port = await freePort();
    const worker = crashableProcess(
      'worker',
      'apps/worker/src/main.ts',
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: stack.db.url,
        NATS_URL: testEngines.natsUrl,
        TEMPORAL_ADDRESS: server.address,
        WORKFLOW_BUNDLE: testEngines.workflowBundle,
        TEMPORAL_METRICS_BIND: `127.0.0.1:${port}`,
      },
      async (out) => out.includes('worker 已启动'),
    );
    await worker.start();
    try {
      let text = '';
      for (
        const deadline = Date.now() + 30_000;
        Date.now() < deadline && !/temporal_worker_task_slots_available\{/.test(text);
        await new Promise((r) => setTimeout(r, 500))
      ) {
        text = await fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
      }
      const samples = parse(text);
      expect(
        samples.some((s) => s.name === 'temporal_worker_task_slots_available' && s.labels.task_queue === 'processes'),
      ).toBe(true);
      expect(samples.some((s) => s.name.startsWith('temporal_') && s.name.includes('poll'))).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
