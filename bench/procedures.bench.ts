import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { TaskQueues } from '@jingzhun/contracts';
import { bareUpdate } from './bare-workflow';
import { seedBenchCounty } from './bench-county';
import { benchEngines } from './bench-engines';
import { row, type BenchRow } from './table';
import { cstDate } from '@jingzhun/domain';
import { spawnRegistry } from './console-fixture';
import { profileArgs, readings, spawnWorker, stopProcess, usageSince } from './proc-stats';
import { registryContext } from '../tools/devkit/src/registry-context';

interface Stats {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const s = performance.now();
        await one(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { count, seconds, perSecond: count / seconds, p50: q(0.5), p99: q(0.99) };
}

const fmt = (s: Stats) =>
  `${s.count} 次, ${s.seconds.toFixed(1)} s, ${s.perSecond.toFixed(0)}/s, p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms`;

/** `npm run bench:procedures [-- --cases N --decisions M]` */
export async function benchProcedures(args: string[]): Promise<BenchRow[]> {
  const arg = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const cases = arg('--cases', 5000);
  const decisions = Math.min(arg('--decisions', 2000), cases);
  const concurrency = 20;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const engines = await benchEngines({ temporal: true });
  const { stops, bundle, url } = engines;
  const nats = { url: engines.natsUrl };
  const temporal = { url: engines.temporalUrl };
  try {
    const env = { DATABASE_URL: url, NATS_URL: nats.url, TEMPORAL_ADDRESS: temporal.url };
    // Data first, through the registry's own services in this process (no worker), then closed:
    // the measured registry and workflow worker run as deployed, each in a process of its own.
    const app = await registryContext({ ...process.env, ...env, LOG_LEVEL: 'silent' });
    // Data: exit-eligible households (POOR since 2018, this year's assessment above the line).
    await seedBenchCounty(app, cases, {
      status: 'POOR',
      identifiedYear: '2018',
      monitoringType: undefined,
      exitYear: undefined,
    });
    await app.close();
    // `--profile`: each measured process writes a CPU profile per thread to .data/prof/<process>/ on exit.
    const registry = await spawnRegistry(engines, {}, profileArgs(args, 'registry'));
    stops.push(() => stopProcess(registry.child));
    const worker = await spawnWorker(
      { ...env, WORKFLOW_BUNDLE: bundle, WORKER_MEMORY_BUDGET_MB: '1740' },
      profileArgs(args, 'worker'),
    );
    stops.push(() => stopProcess(worker));
    const procs = new Map([
      ['registry', registry.child],
      ['worker', worker],
    ]);
    const base = registry.url;
    const pool = new Pool({ connectionString: url, options: '-c search_path=registry' });
    stops.push(() => pool.end());
    const year = new Date().getUTCFullYear();
    await pool.query(
      `INSERT INTO assessment (id, household_id, year, assessed_on, wage_income, business_income, property_income, transfer_income, production_costs, people, net_income_per_head, food, clothing, education, medical, housing, water, created_by)
      SELECT gen_random_uuid(), id, $1, CURRENT_DATE, 40000, 0, 0, 0, 0, member_count, 40000 / member_count, true, true, true, true, true, true, 'bench' FROM household`,
      [year],
    );
    const { rows: households } = await pool.query<{ id: string; village_code: string }>(
      `SELECT id, village_code FROM household ORDER BY number`,
    );
    out(`数据: ${households.length} 户可退出户, 并发 ${concurrency}`);

    const tokens = new Map<string, string>();
    const token = async (userId: string) => {
      if (!tokens.has(userId)) {
        const r = await fetch(`${base}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        });
        tokens.set(userId, ((await r.json()) as { accessToken: string }).accessToken);
      }
      return tokens.get(userId)!;
    };
    const post = async (path: string, user: string, body: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(user)}` },
        body: JSON.stringify(body),
      });
      const json = await r.json();
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
      return json as Record<string, unknown>;
    };

    const connection = await Connection.connect({ address: temporal.url });
    stops.push(() => connection.close());
    const client = new Client({ connection });

    // 1. Case starts through the API, beside bare workflow starts.
    const beforeStarts = readings(procs);
    const apiStarts = await measure(cases, concurrency, async (i) => {
      const h = households[i];
      await post('/cases', `village-${h.village_code.trim()}`, { kind: 'exit', householdId: h.id, reason: '基准测试' });
    });
    const startUsage = usageSince(beforeStarts, procs);
    const bareStarts = await measure(cases, concurrency, async (i) => {
      await client.workflow.start('benchBareWorkflow', {
        taskQueue: TaskQueues.processes,
        workflowId: `bench-bare/${i}`,
      });
    });

    // The started workflows' first steps (policy, task, step: 3 activities each) run after the API
    // answered; decisions are measured once that backlog is done, as in steady operation.
    const settleStart = performance.now();
    for (;;) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "case" WHERE step = 'village.appraisal'`,
      );
      if (rows[0].n >= cases) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    out(
      `工作流首步完成: ${cases} 个案件的评议任务已全部开出 (用时 ${((performance.now() - settleStart) / 1000).toFixed(1)} s 之后)`,
    );

    // 2. Decisions by 20 officers (village cadres of 20 villages), beside bare update round trips.
    const { rows: tasks } = await pool.query<{ id: string; region_code: string }>(
      `SELECT t.id, t.region_code FROM task t WHERE t.step = 'village.appraisal' AND t.status = 'OPEN' ORDER BY t.created_at LIMIT $1`,
      [decisions],
    );
    const beforeDecisions = readings(procs);
    const apiDecisions = await measure(tasks.length, concurrency, async (i) => {
      await post(`/tasks/${tasks[i].id}/decision`, `village-${tasks[i].region_code.trim()}`, {
        decision: 'approve',
        comment: '评议通过',
        data: { appraisalDate: cstDate(), attendance: 40, votesFor: 39, votesAgainst: 1 },
      });
    });
    const decisionUsage = usageSince(beforeDecisions, procs);
    const bareUpdates = await measure(decisions, concurrency, async (i) => {
      await client.workflow.getHandle(`bench-bare/${i}`).executeUpdate(bareUpdate, { args: [i] });
    });

    out('');
    out(`案件发起 (API: 校验+事务+审计+outbox+启动工作流): ${fmt(apiStarts)}`);
    out(`基线 裸工作流启动 (Temporal client):              ${fmt(bareStarts)}`);
    out(`吞吐比 API / 裸 = ${(apiStarts.perSecond / bareStarts.perSecond).toFixed(2)}   (目标 ≥ 0.8)`);
    out('');
    out(`审批决定 (API→update→关闭任务/开下一步/更新案件后返回): ${fmt(apiDecisions)}`);
    out(`基线 裸 executeUpdate 往返:                           ${fmt(bareUpdates)}`);
    out(
      `p99 比 决定 / 裸 update = ${(apiDecisions.p99 / bareUpdates.p99).toFixed(2)}   (目标 ≤ 1.5); p50 比 ${(apiDecisions.p50 / bareUpdates.p50).toFixed(2)} (目标 ≤ 1.5)`,
    );
    const ms = (s: Stats, q: 'p50' | 'p99') => `${q} ${s[q].toFixed(0)} ms`;
    // Per process: CPU milliseconds per operation, and peak RSS.
    const perOp = (u: ReturnType<typeof usageSince>, n: number) =>
      u
        .map((p) => `${p.name} ${((p.cpuS * 1000) / n).toFixed(1)} ms CPU/op, peak ${p.peakRssMb.toFixed(0)} MB`)
        .join('; ');
    out(`进程开销 发起: ${perOp(startUsage, cases)}`);
    out(`进程开销 决定: ${perOp(decisionUsage, tasks.length)}`);
    return [
      row(
        `decision by ${concurrency} concurrent officers, p99 vs bare executeUpdate (${perOp(decisionUsage, tasks.length)})`,
        ms(apiDecisions, 'p99'),
        ms(bareUpdates, 'p99'),
        apiDecisions.p99 / bareUpdates.p99,
        { atMost: 1.5 },
      ),
      row(
        'decision p50 vs bare executeUpdate p50',
        ms(apiDecisions, 'p50'),
        ms(bareUpdates, 'p50'),
        apiDecisions.p50 / bareUpdates.p50,
        { atMost: 1.5 },
      ),
      row(
        `case starts via API vs bare workflow.start (${cases.toLocaleString('en')}; ${perOp(startUsage, cases)})`,
        `${apiStarts.perSecond.toFixed(0)}/s`,
        `${bareStarts.perSecond.toFixed(0)}/s`,
        apiStarts.perSecond / bareStarts.perSecond,
        { atLeast: 0.8 },
      ),
    ];
  } finally {
    await engines.close();
  }
}
