import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client } from 'pg';
import { TaskQueues } from '@jingzhun/contracts';
import { TemporalWorkerHost } from '@jingzhun/platform';
import { firstRevisit } from '../../apps/registry/src/follow-ups/first-revisit';
import { runSeed } from '../../prisma/seed/seed';
import { freshDatabase } from '../support/database';
import { ownTemporal, testEngines } from '../support/engines';
import { nextIdNumber } from '../support/id-numbers';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(300_000);

const DAY = 86_400_000;
const HOUSEHOLDS = 600;

/**
 * 回访全覆盖 on the demo county as `npm run dev` seeds it (smaller): the registry starts the follow-up
 * of every household that needs one by itself, in the background, and ends those that outlive their need.
 */
describe('follow-up for every household that needs one', () => {
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let worker: TemporalWorkerHost;
  let pg: Client;
  let temporal: TemporalClient;
  const admin = async () => ({ authorization: `Bearer ${await registry.token('admin')}` });

  beforeAll(async () => {
    server = await ownTemporal();
    db = await freshDatabase('coverage');
    // The sweep on, as in `npm run dev` (every 2 s here; 600 s by default).
    registry = await startRegistry(db.url, { TEMPORAL_ADDRESS: server.address, FOLLOW_UP_SWEEP_SECONDS: '2' });
    worker = new TemporalWorkerHost({
      address: server.address,
      namespace: 'default',
      taskQueue: TaskQueues.processes,
      workflowBundlePath: testEngines.workflowBundle,
    });
    worker.start();
    await worker.ready;
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('SET search_path TO registry');
    temporal = new TemporalClient({ connection: await Connection.connect({ address: server.address }) });
  });
  afterAll(async () => {
    await worker?.stop();
    await registry?.close();
    await temporal?.connection.close();
    await pg?.end();
    await db?.drop();
    await server?.stop();
  });

  const needed = async () =>
    Number((await pg.query(`SELECT count(*) AS n FROM household WHERE status IN ('EXITED', 'MONITORED')`)).rows[0].n);
  const live = async () =>
    Number((await pg.query(`SELECT count(*) AS n FROM "case" WHERE kind = 'follow_up' AND status = 'OPEN'`)).rows[0].n);
  async function until<T>(what: string, probe: () => Promise<T | null | false>, ms = 120_000): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
      const v = await probe();
      if (v) return v;
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('after the seed, every exited (inside the window) and monitored household has exactly one live follow-up, started in the background while the API answers', async () => {
    await runSeed(registry.app, { households: HOUSEHOLDS, log: () => undefined, progress: false });
    const need = await needed();
    expect(need).toBeGreaterThan(HOUSEHOLDS / 2);
    // The services answer while the sweep starts hundreds of workflows.
    let slowest = 0;
    await until('coverage', async () => {
      const t0 = Date.now();
      const r = await registry.http.get('/follow-ups/coverage').set(await admin());
      slowest = Math.max(slowest, Date.now() - t0);
      expect(r.status).toBe(200);
      return r.body.live === r.body.needed && r.body.sweep?.finishedAt ? r.body : null;
    });
    expect(slowest).toBeLessThan(2_000);
    expect(await live()).toBe(need);
    // One per household: no household has two.
    const twice = await pg.query(
      `SELECT household_id FROM "case" WHERE kind = 'follow_up' AND status = 'OPEN' GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(twice.rowCount).toBe(0);
    // Temporal runs each of them (a delayed one counts: its execution exists, its first task waits).
    const running = await until(
      'Temporal visibility',
      async () => {
        const n = (await temporal.workflow.count(`ProcessKind = "follow_up" AND ExecutionStatus = "Running"`)).count;
        return n === need ? n : null;
      },
      30_000,
    );
    expect(running).toBe(need);
    // A go-live backlog is spread: first revisits over the quarter, not all on one day.
    const due = (
      await pg.query(
        `SELECT due_at FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.kind = 'follow_up' AND h.status = 'EXITED'`,
      )
    ).rows.map((r) => new Date(r.due_at).getTime());
    const days = new Set(due.map((d) => Math.floor(d / DAY)));
    expect(days.size).toBeGreaterThan(30);
    expect(Math.max(...due) - Math.min(...due)).toBeGreaterThan(45 * DAY);
    // Every start is audited.
    const audited = await pg.query(
      `SELECT count(*)::int AS n FROM audit WHERE action = 'case.opened' AND after->>'kind' = 'follow_up'`,
    );
    expect(audited.rows[0].n).toBe(need);
  });

  it('a household registered as exited stock gets its follow-up without any command, due one cadence out', async () => {
    const village = (
      await pg.query(`SELECT code FROM region WHERE level = 'VILLAGE' AND code LIKE '411599%' ORDER BY code LIMIT 1`)
    ).rows[0].code as string;
    const created = await registry.http
      .post('/households')
      .set({ authorization: `Bearer ${await registry.token('county-411599')}` })
      .send({
        villageCode: village,
        status: 'EXITED',
        identifiedYear: 2016,
        exitYear: 2020,
        mainCause: 'ILLNESS',
        members: [{ name: '存量户主', idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    expect(created.status).toBe(201);
    const c = await until(
      'its follow-up',
      async () =>
        (await pg.query(`SELECT * FROM "case" WHERE open_key = $1`, [`follow_up/${created.body.id}`])).rows[0] ?? null,
      30_000,
    );
    const dueIn = new Date(c.due_at).getTime() - Date.now();
    expect(dueIn).toBeGreaterThan(85 * DAY);
    expect(dueIn).toBeLessThan(93 * DAY);
    // Its revisit task is open for the helper (no start delay for a single household).
    await until(
      'its revisit task',
      async () =>
        (await pg.query(`SELECT 1 FROM task WHERE case_id = $1 AND step = 'revisit' AND status = 'OPEN'`, [c.id]))
          .rowCount === 1,
      30_000,
    );
  });

  it('a follow-up ends when its household leaves the state, and all exited ones end when their province’s transition window closes', async () => {
    // A monitored household whose follow-up is running, and an exited one whose first task still waits (start delay).
    const monitored = (
      await pg.query(
        `SELECT c.id, c.household_id FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.kind = 'follow_up' AND c.status = 'OPEN' AND h.status = 'MONITORED' LIMIT 1`,
      )
    ).rows[0];
    const delayed = (
      await pg.query(
        `SELECT c.id, c.household_id FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.kind = 'follow_up' AND c.status = 'OPEN' AND h.status = 'EXITED' AND c.due_at > now() + interval '60 days' AND c.region_code LIKE '411599%' LIMIT 1`,
      )
    ).rows[0];
    expect(monitored && delayed).toBeTruthy();
    // What the life-cycle procedures write (closure, return): here set directly, the sweep must notice it.
    await pg.query(`UPDATE household SET status = 'CLOSED' WHERE id = $1`, [monitored.household_id]);
    await pg.query(`UPDATE household SET status = 'POOR', returned_year = 2026 WHERE id = $1`, [delayed.household_id]);
    const closed = async (id: string) =>
      (await pg.query(`SELECT status, outcome FROM "case" WHERE id = $1`, [id])).rows[0];
    const a = await until(
      'the monitored follow-up ends',
      async () => ((await closed(monitored.id)).status === 'COMPLETED' ? closed(monitored.id) : null),
      60_000,
    );
    expect(a.outcome).toContain('CLOSED');
    const b = await until(
      'the delayed follow-up ends',
      async () => ((await closed(delayed.id)).status === 'COMPLETED' ? closed(delayed.id) : null),
      60_000,
    );
    expect(b.outcome).toContain('POOR');
    // The monitored one's open revisit task is cancelled with it.
    expect(
      (await pg.query(`SELECT count(*)::int AS n FROM task WHERE case_id = $1 AND status = 'OPEN'`, [monitored.id]))
        .rows[0].n,
    ).toBe(0);

    // Guizhou's window is closed by a new policy row (effective today): its exited households' follow-ups end, Henan's stay.
    const yesterday = new Date(Date.now() - DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10); // in force from today's date (a DATE, compared with now)
    await pg.query(
      `INSERT INTO policy (key, scope, effective_from, value, note) VALUES ('transitionPeriod', '52', $1, $2, 'test: window closed')`,
      [today, JSON.stringify({ from: '2021-01-01', until: yesterday })],
    );
    const guizhouExited = Number(
      (await pg.query(`SELECT count(*) AS n FROM household WHERE status = 'EXITED' AND village_code LIKE '52%'`))
        .rows[0].n,
    );
    expect(guizhouExited).toBeGreaterThan(0);
    await until(
      'Guizhou’s exited follow-ups end',
      async () => {
        const n = Number(
          (
            await pg.query(
              `SELECT count(*) AS n FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.kind = 'follow_up' AND c.status = 'OPEN' AND h.status = 'EXITED' AND c.region_code LIKE '52%'`,
            )
          ).rows[0].n,
        );
        return n === 0;
      },
      120_000,
    );
    const r = await registry.http.get('/follow-ups/coverage').set(await admin());
    expect(r.body.live).toBe(r.body.needed);
    expect(
      Number(
        (
          await pg.query(
            `SELECT count(*) AS n FROM "case" c JOIN household h ON h.id = c.household_id WHERE c.kind = 'follow_up' AND c.status = 'OPEN' AND h.status = 'EXITED' AND c.region_code LIKE '41%'`,
          )
        ).rows[0].n,
      ),
    ).toBeGreaterThan(0);
  });

  it('spreads a backlog’s first revisits over the cadence, the same day for a household on every run', () => {
    const now = new Date('2026-12-06T00:00:00Z');
    const a = firstRevisit('a', 'P3M', now);
    expect(firstRevisit('a', 'P3M', now)).toEqual(a);
    const spread = Array.from(
      { length: 200 },
      (_, i) => firstRevisit(`h${i}`, 'P3M', now).firstDueAt.getTime() - now.getTime(),
    );
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(14 * DAY);
    expect(Math.max(...spread)).toBeLessThanOrEqual(90 * DAY);
    expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(60 * DAY);
    const m = firstRevisit('m', 'P1M', now);
    expect(m.startDelayMs).toBe(0);
  });
});
