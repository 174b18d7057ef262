import { Client, Connection } from '@temporalio/client';
import { NestFactory } from '@nestjs/core';
import { TaskQueues, WorkflowTypes } from '@jingzhun/contracts';
import { createServicePool } from '@jingzhun/platform';
import { MonitoringModule } from '../apps/monitoring/src/app.module';
import { loadMonitoringConfig } from '../apps/monitoring/src/monitoring.config';
import { RiskRules } from '../apps/monitoring/src/risk-rules';
import { RegistryModule } from '../apps/registry/src/app.module';
import { scanSql } from '../apps/registry/src/households/risk-scan.store';
import { PolicyService } from '../apps/registry/src/procedures/policy.service';
import { RegionStore } from '../apps/registry/src/regions/region.store';
import { loadRegistryConfig } from '../apps/registry/src/registry.config';
import { runSeed } from '../prisma/seed/seed';
import { benchEngines } from './bench-engines';
import { spawnRegistry } from './console-fixture';
import { readings, spawnApp, spawnWorker, stopProcess, usageSince } from './proc-stats';
import { freePort } from '../tools/devkit/src/engines/net';
import { row, type BenchRow } from './table';
import { cstYear } from '@jingzhun/domain';

/**
 * `npm run bench:scan [-- --households N --page P]`: the monthly risk scan (Temporal workflow:
 * rules from the monitoring service, keyset pages evaluated in SQL by the registry's activity,
 * each page's flags recorded as triage items with their events) over N households, beside one SQL
 * query computing the same flags over the same data, in the same run on the same server.
 */
export async function benchScan(args: string[]): Promise<BenchRow[]> {
  const arg = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const households = arg('--households', 100_000);
  const pageSize = arg('--page', 25_000);
  const out = (s: string) => process.stdout.write(`\x1b[36m[精准]\x1b[0m ${s}\n`);
  const engines = await benchEngines({ temporal: true });
  const { stops, bundle } = engines;
  try {
    const temporal = { url: engines.temporalUrl };
    const env = {
      ...process.env,
      DATABASE_URL: engines.url,
      NATS_URL: engines.natsUrl,
      TEMPORAL_ADDRESS: engines.temporalUrl,
      LOG_LEVEL: 'silent' as const,
    };

    // The seed's 100 000 household events would be relayed to NATS during the measurement; the
    // scan does not touch them, so the registry's relay is held back (as bench:import does).
    // Data, rules and the line through the services in this process, then closed: the measured
    // registry, monitoring service and workflow worker run as deployed, each in a process of its own.
    const seeder = await NestFactory.createApplicationContext(
      RegistryModule.forRoot(loadRegistryConfig({ ...env, OUTBOX_POLL_MS: '60000' }), { worker: false }),
      { logger: false },
    );
    await seeder.init();
    out(`生成 ${households} 户演示数据…`);
    await runSeed(seeder, { households, log: out, progress: process.stdout.isTTY });
    const now = new Date();
    // Each province's line, as the registry's scan reads them (RULES.md row 8a).
    const lines: Record<string, number> = {};
    for (const province of await seeder.get(RegionStore).provinces()) {
      const line = await seeder.get(PolicyService).monitoringLine(cstYear(now), province);
      if (line !== null) lines[province.slice(0, 2)] = line;
    }
    await seeder.close();
    const line = Object.values(lines)[0];
    if (line === undefined) throw new Error(`没有 ${cstYear(now)} 年的防返贫监测收入线`);
    const rulesContext = await NestFactory.createApplicationContext(
      MonitoringModule.forRoot(loadMonitoringConfig(env)),
      { logger: false },
    );
    await rulesContext.init();
    const rules = await rulesContext.get(RiskRules).scanRules(now);
    await rulesContext.close();

    // The baseline runs the same statement over every household at once, on plain pg as the scan's pages do.
    const pool = createServicePool(engines.url, 'registry');
    stops.push(() => pool.end());
    const baseline = async () => {
      const t = performance.now();
      const sql = scanSql(rules, lines, null, null);
      const { rows } = await pool.query<{ id: string | null }>(sql.text, sql.values as unknown[]);
      return { ms: performance.now() - t, flagged: rows.filter((r) => r.id !== null).length };
    };
    const b0 = await baseline();
    out(`基线 启动服务前: ${b0.flagged}`);

    // Nor does the registry sweep follow-ups here: in service that backlog was started long before a scan.
    const registry = await spawnRegistry(engines, { OUTBOX_POLL_MS: '60000', FOLLOW_UP_SWEEP_SECONDS: '0' });
    stops.push(() => stopProcess(registry.child));
    const monitoring = await spawnApp('monitoring', {
      ...env,
      MONITORING_PORT: String(await freePort()),
      MONITORING_HOST: '127.0.0.1',
    });
    stops.push(() => stopProcess(monitoring));
    const worker = await spawnWorker({ ...env, WORKFLOW_BUNDLE: bundle });
    stops.push(() => stopProcess(worker));
    const procs = new Map([
      ['registry', registry.child],
      ['monitoring', monitoring],
      ['worker', worker],
    ]);
    await baseline(); // warm the cache for both
    const b1 = await baseline();
    out(`基线 启动服务后: ${b1.flagged}`);

    const client = new Client({ connection: await Connection.connect({ address: temporal.url }) });
    // The monthly scan runs on services that have been up for days: one scan first warms the three
    // processes (code, pools, the workflow bundle), then its triage items go, so the measured scan
    // opens every one again.
    await client.workflow.execute(WorkflowTypes.riskScan, {
      taskQueue: TaskQueues.processes,
      workflowId: `bench-scan-warm-${Date.now()}`,
      args: [{ pageSize }],
    });
    const monitoringDb = createServicePool(engines.url, 'monitoring');
    await monitoringDb.query(`DELETE FROM alert WHERE department = 'scan'`);
    await monitoringDb.end();
    const before = readings(procs);
    const t0 = performance.now();
    const stamp = Date.now();
    const result = await client.workflow.execute(WorkflowTypes.riskScan, {
      taskQueue: TaskQueues.processes,
      workflowId: `bench-scan-${stamp}`,
      args: [{ pageSize }],
    });
    const scanMs = performance.now() - t0;
    const usage = usageSince(before, procs)
      .map((p) => `${p.name} ${p.cpuS.toFixed(2)} s CPU, peak ${p.peakRssMb.toFixed(0)} MB`)
      .join('; ');
    const b2 = await baseline();
    // Where the workflow's time went: each activity type, scheduled → completed.
    const history = await client.workflow.getHandle(`bench-scan-${stamp}`).fetchHistory();
    const scheduled = new Map<string, { type: string; at: number }>();
    const spent = new Map<string, number>();
    for (const e of history.events ?? []) {
      const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
      if (e.activityTaskScheduledEventAttributes)
        scheduled.set(String(e.eventId), {
          type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?',
          at,
        });
      const done = e.activityTaskCompletedEventAttributes;
      if (done) {
        const s = scheduled.get(String(done.scheduledEventId));
        if (s) spent.set(s.type, (spent.get(s.type) ?? 0) + at - s.at);
      }
    }
    for (const e of history.events ?? []) {
      const done = e.activityTaskCompletedEventAttributes;
      if (!done) continue;
      const type = scheduled.get(String(done.scheduledEventId))?.type;
      const data = done.result?.payloads?.[0]?.data;
      const text = data ? Buffer.from(data).toString() : '';
      if (type === 'scanRisks') {
        const r = JSON.parse(text) as { flags: { householdId: string }[]; scanned: number };
        out(
          `scanRisks: ${r.flags.length} flags (${new Set(r.flags.map((f) => f.householdId)).size} distinct), scanned ${r.scanned}`,
        );
      } else out(`${type}: ${text.slice(0, 120)}`);
    }
    await client.connection.close();
    const baseMs = Math.min(b1.ms, b2.ms);
    if (result.flagged !== b1.flagged)
      throw new Error(`排查结果不一致: 工作流标记 ${result.flagged} 户, SQL 基线 ${b1.flagged} 户`);

    out('');
    out(
      `规则: 收入低于监测线 ${line} 元 × ${rules.incomeBelowLine?.factor ?? '-'}, 两不愁三保障未达标, 灾情村 ${rules.disasterVillages?.villages.length ?? 0} 个`,
    );
    out(
      `基线  一条 SQL 计算全部标记:           ${(baseMs / 1000).toFixed(2)} s, 扫描 ${result.scanned} 户 (非贫困且未监测), 标记 ${b1.flagged} 户`,
    );
    out(
      `实际  月度排查工作流 (每页 ${pageSize} 户, 含写研判项与事件): ${(scanMs / 1000).toFixed(2)} s, 标记 ${result.flagged} 户`,
    );
    out(`比值  排查 / SQL = ${(scanMs / baseMs).toFixed(2)}x   (目标 ≤ 1.5x)`);
    out(`分解  ${[...spent].map(([t, ms]) => `${t} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
    out(`进程  ${usage}`);
    return [
      row(
        `monthly scan over ${households.toLocaleString('en')} households vs one SQL query (${usage})`,
        `${(scanMs / 1000).toFixed(2)} s`,
        `${(baseMs / 1000).toFixed(2)} s`,
        scanMs / baseMs,
        { atMost: 1.5 },
      ),
    ];
  } finally {
    await engines.close();
  }
}
