import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TaskSubjects } from '@jingzhun/contracts';
import { outboxEvent, startTracing, tracer, uuidv7 } from '@jingzhun/platform';
import { EventIntake } from '../../apps/notifications/src/intake';
import { NotifyPrisma } from '../../apps/notifications/src/prisma.service';
import { ChannelStandIns } from '../../tools/devkit/src/channel-standins';
import { users } from '../support/fixtures';
import { ownTemporal, testEngines } from '../support/engines';
import { procedureStack } from '../support/procedure-stack';
import { startNotifications, type RunningService } from '../support/services';
import { freePort } from '../../tools/devkit/src/engines/net';
import { startNats } from '../../tools/devkit/src/engines/nats';
import type { Engine } from '../../tools/devkit/src/engines/engine';
import { records } from '../support/records';

jest.setTimeout(180_000);

// Before any service starts: this process's spans go to memory, as they end.
const exporter = new InMemorySpanExporter();
const tracing = startTracing('e2e', { exporter })!;

const parentId = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** From a span up to its root, through the parents the exporter saw. */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const chain = [span];
  for (let p = parentId(span); p && byId.has(p); p = parentId(byId.get(p)!)) chain.push(byId.get(p)!);
  return chain;
}

/** #12 §1: one trace follows a decision, from the HTTP request through Temporal to the activity, the outbox, NATS, the notifications intake and the delivery. */
describe('tracing', () => {
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  let nats: Engine;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let notifications: RunningService;
  let channels: ChannelStandIns;
  const dir = mkdtempSync(join(tmpdir(), 'jz-tracing-'));

  beforeAll(async () => {
    server = await ownTemporal();
    // A NATS of its own: the notifications consumers must not take other files' events.
    nats = await startNats({
      bin: testEngines.natsBin,
      dataDir: join(dir, 'nats'),
      port: await freePort(),
      log: () => undefined,
    });
    stack = await procedureStack('tracing', server.address, { NATS_URL: nats.url, OUTBOX_POLL_MS: '50' });
    channels = await new ChannelStandIns('tracing-sms-gateway-secret-000000').start();
    notifications = await startNotifications(stack.db.url, {
      REGISTRY_URL: stack.registry.baseUrl,
      NATS_URL: nats.url,
      SMS_GATEWAY_URL: channels.smsUrl,
      SMS_GATEWAY_SECRET: 'tracing-sms-gateway-secret-000000',
    });
  });
  afterAll(async () => {
    await notifications?.close();
    await channels?.stop();
    await stack?.close();
    await nats?.stop?.();
    await server?.stop();
    await tracing.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the decision request is the root of the spans of its update, workflow, the activity that closed the task, and the event taken in by notifications', async () => {
    const { registry, auth, exitEligibleHousehold, inboxTask } = stack;
    const household = await exitEligibleHousehold();
    const started = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    expect(started.status).toBe(201);
    const appraisal = await inboxTask(users.villageA, 'village.appraisal', started.body.id);
    exporter.reset();

    const r = await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '评议通过', data: records.appraisal() });
    expect(r.status).toBe(200);

    const root = () =>
      exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /tasks/:id/decision');
    // The workflow's spans cross from its sandbox through a sink; notifications takes the events in from NATS.
    let spans: ReadableSpan[] = [];
    for (
      const deadline = Date.now() + 30_000;
      Date.now() < deadline;
      await new Promise((res) => setTimeout(res, 200))
    ) {
      const http = root();
      spans = http
        ? exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === http.spanContext().traceId)
        : [];
      if (
        spans.some((s) => s.name === 'RunActivity:advance') &&
        spans.some((s) => s.name === 'consume tasks.decided' || /^consume .*tasks\.decided/.test(s.name))
      )
        break;
    }
    const http = root();
    expect(http).toBeDefined();
    expect(parentId(http!)).toBeUndefined(); // the client sent no traceparent: the request is the root
    expect(http!.attributes['http.route']).toBe('/tasks/:id/decision');
    process.stdout.write(
      `[tracing] ${spans.length} spans in the decision's trace:\n${spans
        .map(
          (s) =>
            `  ${ancestry(s, spans)
              .map((a) => a.name)
              .reverse()
              .join(' → ')}`,
        )
        .join('\n')}\n`,
    );

    // The activity that closed the task: its ancestry climbs, span by span, to the request.
    const activity = spans.find((s) => s.name === 'RunActivity:advance');
    expect(activity).toBeDefined();
    const chain = ancestry(activity!, spans).map((s) => s.name);
    expect(chain[chain.length - 1]).toBe('POST /tasks/:id/decision');
    // The update's client span: the workflow relayed its context to the activity (workflows/tracing-interceptors.ts).
    expect(chain).toEqual(['RunActivity:advance', 'StartWorkflowUpdate:decide', 'POST /tasks/:id/decision']);
    // So did the decider check the update made first.
    expect(
      spans.some(
        (s) =>
          s.name === 'RunActivity:verifyDecider' &&
          ancestry(s, spans).some((a) => a.name === 'StartWorkflowUpdate:decide'),
      ),
    ).toBe(true);

    // The event it wrote (outbox → NATS, traceparent header) is handled inside the same trace.
    const consumed = spans.find((s) => s.kind === SpanKind.CONSUMER && /tasks\.decided/.test(s.name));
    expect(consumed).toBeDefined();
    expect(ancestry(consumed!, spans).some((s) => s.name === 'RunActivity:advance')).toBe(true);

    // No ID number, household number or task id in any name or attribute.
    const text = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes })));
    expect(text).not.toContain(household.headId);
    expect(text).not.toContain(household.number);
    expect(text).not.toContain(appraisal.id);
  });
  it("a delivery's send, made later by the dispatcher, is a span of the trace of the event that asked for it", async () => {
    const prisma = notifications.app.get(NotifyPrisma);
    await prisma.recipient.create({
      data: { id: 'trace-helper', name: '帮扶人', role: 'helper', regionCode: stack.A.village, phone: '13900000077' },
    });
    const taskId = uuidv7();
    // The event is handled inside a span, as the NATS consumer does (its span is the parent).
    const parent = await tracer().startActiveSpan('consume test', async (span) => {
      await notifications.app.get(EventIntake).handle(
        outboxEvent('registry', TaskSubjects.reminder, {
          taskId,
          caseId: uuidv7(),
          kind: 'exit',
          step: 'village.appraisal',
          role: 'helper',
          regionCode: stack.A.village,
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          householdId: null,
          householdNumber: '41159900100100999',
          assigneeId: 'trace-helper',
        }),
      );
      span.end();
      return span.spanContext();
    });
    let send: ReadableSpan | undefined;
    for (
      const deadline = Date.now() + 20_000;
      !send && Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 100))
    )
      send = exporter
        .getFinishedSpans()
        .find((s) => s.name === 'deliver sms' && s.spanContext().traceId === parent.traceId);
    expect(send).toBeDefined();
    expect(parentId(send!)).toBe(parent.spanId);
    expect(send!.kind).toBe(SpanKind.CLIENT);
    expect(channels.sms.some((m) => m.to === '13900000077')).toBe(true);
    expect(JSON.stringify(send!.attributes)).not.toMatch(/13900000077|41159900100100999/);
  });
});
