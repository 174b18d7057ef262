import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateAll } from '../../tools/devkit/src/migrate';
import { freePort } from '../../tools/devkit/src/engines/net';
import { A, seedFixtures, users } from '../support/fixtures';
import {
  crashableNats,
  crashablePostgres,
  crashableProcess,
  crashableTemporal,
  seeded,
  type Crashable,
} from '../support/chaos';
import { testEngines } from '../support/engines';
import { nextIdNumber } from '../support/id-numbers';
import { seedProcedurePolicy } from '../support/procedure-stack';
import { UNLIMITED_RATES } from '../support/registry-app';
import { startNotifications, type RunningService } from '../support/services';
import { records } from '../support/records';
import { cstDate, cstYear } from '@jingzhun/domain';

jest.setTimeout(1_500_000);

const ROOT = join(__dirname, '..', '..');
const PROCEDURES = Number(process.env.JZ_FAULTS_PROCEDURES ?? 200);
const OFFICERS = 10;
const KILLS_EACH = 2;
const SEED = Number(process.env.JZ_FAULTS_SEED ?? Date.now() % 1_000_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Faults survived, with nothing lost (security review §5). On engines of its own — an embedded
 * PostgreSQL, nats-server and the Temporal dev server with their data on disk — 10 village officers
 * drive 200 exit procedures through the API to their village notice (appraisal, verification, the
 * notice goes up) while the worker, the registry, nats-server, Temporal and PostgreSQL are each
 * SIGKILLed and started again twice, at random moments. Then: every case is where its decisions put
 * it, no decision was applied twice, the audit holds exactly one entry per state change, and every
 * event reached the notifications service exactly once.
 */
describe('faults: crashes of every part while officers work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jz-faults-'));
  const crashes: { at: number; what: string; downMs: number; restartMs: number }[] = [];
  let pg: Awaited<ReturnType<typeof crashablePostgres>>;
  let nats: Awaited<ReturnType<typeof crashableNats>>;
  let temporal: Awaited<ReturnType<typeof crashableTemporal>>;
  let registry: ReturnType<typeof crashableProcess>;
  let worker: ReturnType<typeof crashableProcess>;
  let notifications: RunningService | undefined;
  let baseUrl: string;
  const t0 = Date.now();
  let finished = false;
  const log = (line: string) => process.stdout.write(`[faults +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);

  beforeAll(async () => {
    pg = await crashablePostgres(dir, await freePort());
    await migrateAll(ROOT, pg.url, () => undefined);
    await seedFixtures(pg.url);
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    await c.query('SET search_path TO registry');
    await seedProcedurePolicy(c);
    for (let i = 0; i < OFFICERS; i++)
      await c.query(`INSERT INTO "user" (id, name, role, region_code) VALUES ($1, $2, 'village', $3)`, [
        `fault-officer-${i}`,
        `村干部${i}`,
        A.village,
      ]);
    await c.end();
    nats = await crashableNats(dir, await freePort());
    temporal = await crashableTemporal(dir, await freePort());
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: pg.url,
      NATS_URL: nats.url,
      TEMPORAL_ADDRESS: temporal.address,
    };
    registry = crashableProcess(
      'registry',
      'apps/registry/src/main.ts',
      {
        ...common,
        ...UNLIMITED_RATES,
        REGISTRY_PORT: String(port),
        REGISTRY_HOST: '127.0.0.1',
        AUTH_DEV_LOGIN: 'true',
        JWT_TTL_SECONDS: '7200',
        OUTBOX_POLL_MS: '50',
        API_RESPONSE_CHECK: 'strict',
      },
      async () => (await fetch(`${baseUrl}/health/ready`).catch(() => null))?.status === 200,
    );
    worker = crashableProcess(
      'worker',
      'apps/worker/src/main.ts',
      { ...common, WORKFLOW_BUNDLE: testEngines.workflowBundle },
      async (out) => out.includes('worker 已启动'),
    );
    await registry.start();
    await worker.start();
    notifications = await startNotifications(pg.url, {
      NATS_URL: nats.url,
      TEMPORAL_ADDRESS: temporal.address,
      REGISTRY_URL: baseUrl,
    });
  });
  afterAll(async () => {
    // Officers still retrying after a failure stop here, so the file ends.
    finished = true;
    await notifications?.close().catch(() => undefined);
    await worker?.stop();
    await registry?.stop();
    await temporal?.stop().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    if (process.env.JZ_FAULTS_KEEP) log(`engines' data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  /** One HTTP call, retried while a part is down (no answer, 502–504, 429); other answers are returned. */
  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    for (let attempt = 0; ; attempt++) {
      if (finished) throw new Error('the test has ended');
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const json = await res.json().catch(() => null);
        if (res.status >= 500 || res.status === 429) {
          if (res.status === 500)
            throw new Error(
              `500 on ${method} ${path}: ${JSON.stringify(json)}\nregistry errors:\n${registry
                .output()
                .split('\n')
                .filter((l) => l.includes('"level":50'))
                .slice(-4)
                .join('\n')
                .slice(-6000)}`,
            );
          throw Object.assign(new Error(`${res.status}`), { retry: true });
        }
        return { status: res.status, body: json };
      } catch (err) {
        if ((err as Error).message.startsWith('500 on') || finished) throw err;
        if (attempt > 2000) throw err;
        await sleep(200 + Math.random() * 300);
      }
    }
  }

  async function token(user: string): Promise<string> {
    const r = await call('POST', '/auth/token', null, { userId: user });
    if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.accessToken;
  }

  async function exitEligibleHousehold(county: string): Promise<string> {
    const members = [
      { name: '退出户主', idNumber: nextIdNumber(), relation: 'HEAD' },
      { name: '成员', idNumber: nextIdNumber(), relation: 'SON' },
    ];
    const h = await call('POST', '/households', county, {
      villageCode: A.village,
      status: 'POOR',
      identifiedYear: 2018,
      mainCause: 'ILLNESS',
      members,
    });
    if (h.status !== 201) throw new Error(`household: ${h.status} ${JSON.stringify(h.body)}`);
    const a = await call('POST', `/households/${h.body.id}/assessments`, county, {
      year: cstYear(),
      assessedOn: cstDate(),
      wageIncome: 30000,
      businessIncome: 0,
      propertyIncome: 0,
      transferIncome: 3000,
      productionCosts: 3000,
      food: true,
      clothing: true,
      education: true,
      medical: true,
      housing: true,
      water: true,
    });
    if (a.status !== 201) throw new Error(`assessment: ${a.status} ${JSON.stringify(a.body)}`);
    return h.body.id;
  }

  const DECISIONS: Record<string, { decision: string; comment: string; data?: Record<string, unknown> }> = {
    'village.appraisal': { decision: 'approve', comment: '评议通过', data: records.appraisal() },
    'village.verification': { decision: 'approve', comment: '入户核实属实', data: records.exitVisit() },
  };

  /**
   * One officer takes one household to its village notice. Every step reads the case first and acts
   * on what it finds, so a request whose answer was lost in a crash is neither lost nor repeated:
   * a decision carries an Idempotency-Key, and a start that finds the case open takes that case.
   */
  async function drive(officer: string, householdId: string): Promise<string> {
    const tk = await token(officer);
    const started = await call('POST', '/cases', tk, { kind: 'exit', householdId, reason: '年度脱贫退出' });
    let caseId: string;
    if (started.status === 201) caseId = started.body.id;
    else if (started.status === 409 && started.body.error?.details?.caseId) caseId = started.body.error.details.caseId;
    else throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
    for (const deadline = Date.now() + 1_200_000; Date.now() < deadline; ) {
      const c = await call('GET', `/cases/${caseId}`, tk);
      if (c.status !== 200) throw new Error(`case ${caseId}: ${c.status} ${JSON.stringify(c.body)}`);
      if (c.body.notices.some((n: { status: string }) => n.status === 'ACTIVE')) return caseId;
      const open = c.body.tasks.find((t: { status: string; step: string }) => t.status === 'OPEN' && DECISIONS[t.step]);
      if (!open) {
        await sleep(300);
        continue;
      }
      const r = await call('POST', `/tasks/${open.id}/decision`, tk, DECISIONS[open.step], {
        'Idempotency-Key': `faults-${open.id}`,
      });
      // 409: decided meanwhile (the first attempt's answer was lost) or not open yet: read the case again.
      if (r.status !== 200 && r.status !== 409)
        throw new Error(`decide ${open.step}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.status === 409) await sleep(300);
    }
    throw new Error(`case ${caseId} did not reach its notice`);
  }

  it('200 exits reach their notice through crashes of worker, registry, nats, Temporal and PostgreSQL; nothing lost, nothing twice', async () => {
    const random = seeded(SEED);
    log(`seed ${SEED}: ${PROCEDURES} procedures, ${OFFICERS} officers`);
    const county = await token(users.countyA);
    const households: string[] = [];
    for (let i = 0; i < PROCEDURES; i += 10)
      households.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, PROCEDURES - i) }, () => exitEligibleHousehold(county)),
        )),
      );
    log(`${households.length} exit-eligible households registered`);

    // The officers: each takes the next household from one queue.
    const queue = [...households];
    const caseIds: string[] = [];
    let working = true;
    const officers = Array.from({ length: OFFICERS }, async (_, i) => {
      for (let h = queue.shift(); h; h = queue.shift()) caseIds.push(await drive(`fault-officer-${i}`, h));
    });
    const driving = Promise.all(officers).finally(() => (working = false));

    // The faults: each part twice, in a random order, at random moments while the officers work.
    const parts: Crashable[] = [worker, registry, nats, temporal, pg];
    const plan = parts.flatMap((p) => Array.from({ length: KILLS_EACH }, () => p));
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [plan[i], plan[j]] = [plan[j], plan[i]];
    }
    const chaos = (async () => {
      for (const part of plan) {
        await sleep(1500 + random() * 4000);
        const at = Date.now();
        await part.kill();
        const downMs = Math.round(300 + random() * 2500);
        await sleep(downMs);
        const restart = Date.now();
        await part.start();
        crashes.push({ at: (at - t0) / 1000, what: part.name, downMs, restartMs: Date.now() - restart });
        log(
          `killed ${part.name} (SIGKILL), down ${downMs} ms, back after ${Date.now() - restart} ms more; officers ${working ? 'still working' : 'done'}; ${caseIds.length} at notice`,
        );
      }
    })();
    await Promise.all([driving, chaos]);
    log(`all ${caseIds.length} procedures at their notice; ${crashes.length} crashes`);
    expect(crashes).toHaveLength(plan.length);

    // The system settles: every event published and taken in by the notifications service.
    const db = new Client({ connectionString: pg.url });
    await db.connect();
    try {
      const consumed = `subject LIKE 'tasks.%' OR subject LIKE 'notices.%' OR subject LIKE 'cases.%'`;
      let pending = -1;
      for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(1000)) {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM registry.outbox o WHERE (${consumed.replace(/subject/g, 'o.subject')}) AND NOT EXISTS (SELECT 1 FROM notify.processed_event p WHERE p.event_id = o.id)`,
        );
        // The township's review opens right after the notice goes up: wait for all 7 events of each exit too.
        const [all] = (await db.query(`SELECT count(*)::int AS n FROM registry.outbox WHERE ${consumed}`)).rows;
        pending = rows[0].n + Math.max(0, 7 * PROCEDURES - all.n);
        if (pending === 0) break;
      }
      expect(pending).toBe(0);

      const one = async (sql: string) => (await db.query(sql)).rows;
      // A start refused with 503 while Temporal was down closed its case (CANCELLED, no task): the officer's retry opened the next.
      const [cases] =
        await one(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'OPEN' AND step = 'village.notice')::int AS at_notice, count(DISTINCT household_id) FILTER (WHERE status = 'OPEN')::int AS households,
          count(*) FILTER (WHERE status = 'CANCELLED' AND NOT EXISTS (SELECT 1 FROM registry.task t WHERE t.case_id = c.id))::int AS unstarted FROM registry."case" c WHERE kind = 'exit'`);
      const [tasks] =
        await one(`SELECT count(*) FILTER (WHERE t.step IN ('village.appraisal', 'village.verification'))::int AS decided_steps,
          count(*) FILTER (WHERE t.step IN ('village.appraisal', 'village.verification') AND t.status = 'DECIDED' AND t.decision = 'approve')::int AS approved,
          count(*) FILTER (WHERE t.status = 'OPEN')::int AS open FROM registry.task t JOIN registry."case" c ON c.id = t.case_id WHERE c.kind = 'exit'`);
      const [notices] = await one(
        `SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS cases, count(*) FILTER (WHERE status = 'ACTIVE')::int AS active FROM registry.notice`,
      );
      // One audit entry per state change: per case one opening; per task one opening and at most one decision; per notice one publication.
      const auditDupes = await one(
        `SELECT action, entity_id, count(*)::int AS n FROM registry.audit WHERE action IN ('case.opened', 'task.opened', 'task.decided', 'notice.published') GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      const [audit] = await one(
        `SELECT count(*) FILTER (WHERE action = 'case.opened' AND after->>'kind' = 'exit')::int AS opened, count(*) FILTER (WHERE action = 'task.decided')::int AS decided, count(*) FILTER (WHERE action = 'notice.published')::int AS published FROM registry.audit`,
      );
      const [events] = await one(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE subject = 'tasks.decided')::int AS decided FROM registry.outbox WHERE ${consumed}`,
      );
      const [intake] = await one(`SELECT count(*)::int AS n FROM notify.processed_event`);
      const bySubject = await one(
        `SELECT subject, count(*)::int AS n FROM registry.outbox WHERE ${consumed} GROUP BY 1 ORDER BY 1`,
      );
      log(`events by subject: ${bySubject.map((r) => `${r.subject} ${r.n}`).join(', ')}`);
      const notificationDupes = await one(
        `SELECT user_id, dedupe_key, count(*)::int FROM notify.notification GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      const unnotified =
        await one(`SELECT o.id, o.payload->'data'->>'taskId' AS task, o.payload->'data'->>'step' AS step, o.payload->'data'->>'role' AS role, o.payload->'data'->>'regionCode' AS region,
          (SELECT count(*)::int FROM notify.notification n WHERE n.link->>'taskId' = o.payload->'data'->>'taskId') AS for_task, (SELECT count(*)::int FROM notify.processed_event p WHERE p.event_id = o.id) AS processed
          FROM registry.outbox o WHERE o.subject = 'tasks.opened' AND NOT EXISTS (SELECT 1 FROM notify.notification n WHERE n.event_id = o.id)`);
      if (unnotified.length)
        log(
          `task.opened without a notification: ${JSON.stringify(unnotified)}; recipients: ${JSON.stringify(await one(`SELECT role, region_code, count(*)::int FROM notify.recipient GROUP BY 1, 2`))}`,
        );
      log(
        `cases ${cases.n} (at notice ${cases.at_notice}, closed unstarted ${cases.unstarted}); village tasks ${tasks.decided_steps} (approved ${tasks.approved}); notices ${notices.n} (active ${notices.active}); audit: opened ${audit.opened}, decided ${audit.decided}, published ${audit.published}, duplicates ${auditDupes.length}; events ${events.n}, taken in ${intake.n}, task.opened without a notification ${unnotified.length}`,
      );
      log(`crashes: ${crashes.map((c) => `${c.what}@${c.at.toFixed(1)}s`).join(', ')}`);

      expect(new Set(caseIds).size).toBe(PROCEDURES);
      expect(cases).toEqual({
        n: PROCEDURES + cases.unstarted,
        at_notice: PROCEDURES,
        households: PROCEDURES,
        unstarted: cases.unstarted,
      });
      expect(tasks.decided_steps).toBe(2 * PROCEDURES);
      expect(tasks.approved).toBe(2 * PROCEDURES);
      expect(notices).toEqual({ n: PROCEDURES, cases: PROCEDURES, active: PROCEDURES });
      expect(auditDupes).toEqual([]);
      expect(audit).toEqual({ opened: cases.n, decided: 2 * PROCEDURES, published: PROCEDURES });
      expect(events.decided).toBe(2 * PROCEDURES);
      // Per exit at its notice: cases.opened, tasks.opened × 3 (appraisal, verification, township review), tasks.decided × 2, notices.published.
      expect(events.n).toBe(7 * PROCEDURES);
      expect(intake.n).toBe(events.n);
      expect(notificationDupes).toEqual([]);
      expect(unnotified).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
