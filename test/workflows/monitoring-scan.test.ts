import { Worker } from '@temporalio/worker';
import {
  TaskQueues,
  type MemberMatch,
  type MonitoringActivities,
  type NotificationActivities,
  type RegistryMonitoringActivities,
  type ScanFlag,
} from '@jingzhun/contracts';
import { testEngines } from '../support/engines';
import { recordHistory } from '../support/histories';
import { timeSkippingPerTest } from '../support/workflow-env';

jest.setTimeout(90_000);

const flag = (n: number): ScanFlag => ({
  householdId: `hh-${n}`,
  householdNumber: `4115990010010${String(n).padStart(4, '0')}`,
  villageCode: '411599001001',
  netIncomePerHead: 5000,
  rules: ['income_below_line'],
});

/** The short monitoring workflows with fake activities: what they ask of whom, in what order. */
describe('alert evaluation, monthly scan and daily digest workflows (time-skipping)', () => {
  const env = timeSkippingPerTest();

  async function run<T>(
    registry: Partial<RegistryMonitoringActivities>,
    monitoring: Partial<MonitoringActivities>,
    notifications: Partial<NotificationActivities>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const queues = [
      [TaskQueues.registry, registry],
      [TaskQueues.monitoring, monitoring],
      [TaskQueues.notifications, notifications],
    ] as const;
    const workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: TaskQueues.processes,
        workflowBundle: { codePath: testEngines.workflowBundle },
      }),
      // A worker needs at least one activity: queues this test does not use get none.
      ...queues
        .filter(([, a]) => Object.keys(a).length > 0)
        .map(([taskQueue, activities]) => Worker.create({ connection: env.nativeConnection, taskQueue, activities })),
    ]);
    const nest = (i: number): Promise<T> => (i === workers.length ? fn() : workers[i].runUntil(() => nest(i + 1)));
    return nest(0);
  }

  it('an alert is matched by its hash in the registry, then evaluated by the monitoring service; no hash, no lookup', async () => {
    const asked: string[] = [];
    const match: MemberMatch = {
      householdId: 'hh-1',
      memberId: 'm-1',
      householdNumber: '41159900100100001',
      villageCode: '411599001001',
      status: 'EXITED',
      netIncomePerHead: 9000,
      memberCount: 3,
      labourCapacity: 'NORMAL',
    };
    const evaluated: { alertId: string; match: MemberMatch | null }[] = [];
    await run(
      {
        matchMember: async ({ idHash }) => {
          asked.push(idHash);
          return idHash === 'h1' ? match : null;
        },
      },
      {
        evaluateAlert: async (i) => {
          evaluated.push(i);
          return { status: i.match ? 'MATCHED' : 'VILLAGE', risky: !!i.match };
        },
      },
      {},
      async () => {
        const h = await env.client.workflow.start('alertTriageWorkflow', {
          taskQueue: TaskQueues.processes,
          workflowId: 'alert/a1',
          args: [{ alertId: 'a1', idHash: 'h1' }],
        });
        expect(await h.result()).toEqual({ status: 'MATCHED', risky: true });
        await recordHistory(h, 'alert_triage--matched');
        await env.client.workflow.execute('alertTriageWorkflow', {
          taskQueue: TaskQueues.processes,
          workflowId: 'alert/a2',
          args: [{ alertId: 'a2', idHash: null }],
        });
      },
    );
    expect(asked).toEqual(['h1']);
    expect(evaluated).toEqual([
      { alertId: 'a1', match },
      { alertId: 'a2', match: null },
    ]);
  });

  it('the scan walks the registry page by page (the next page asked while this one is recorded) and records every page once', async () => {
    const pages = [[flag(1), flag(2)], [flag(3)], []];
    const asked: (string | null)[] = [];
    const limits: number[] = [];
    const recorded: number[][] = [];
    const result = await run(
      {
        scanRisks: async ({ afterId, limit }) => {
          asked.push(afterId);
          limits.push(limit);
          const i = asked.length - 1;
          return { flags: pages[i] ?? [], scanned: i < 2 ? 2 : 0, lastId: i < 2 ? `last-${i}` : null };
        },
      },
      {
        scanRules: async () => ({ incomeBelowLine: { factor: 1 }, basicNeedsUnmet: true, disasterVillages: null }),
        beginScan: async () => undefined,
        recordScanFlags: async ({ flags }) => {
          recorded.push(flags.map((f) => Number(f.householdId.slice(3))));
          return { opened: flags.length };
        },
        finishScan: async () => ({ scanned: 4, flagged: 3 }),
      },
      {},
      async () => {
        const h = await env.client.workflow.start('riskScanWorkflow', {
          taskQueue: TaskQueues.processes,
          workflowId: 'scan-test',
          args: [{ pageSize: 2 }],
        });
        const r = await h.result();
        await recordHistory(h, 'risk_scan--three-pages');
        return r;
      },
    );
    expect(asked).toEqual([null, 'last-0', 'last-1']);
    expect(limits).toEqual([2, 2, 2]);
    expect(recorded).toEqual([[1, 2], [3]]);
    expect(result).toEqual({ scanned: 4, flagged: 3 });
  });

  it('the daily digest asks the notifications service once', async () => {
    const calls: string[] = [];
    await run(
      {},
      {},
      {
        sendDigests: async ({ at }) => {
          calls.push(at);
          return { digests: 2 };
        },
      },
      async () => {
        const h = await env.client.workflow.start('dailyDigestWorkflow', {
          taskQueue: TaskQueues.processes,
          workflowId: 'digest-test',
          args: [],
        });
        expect(await h.result()).toEqual({ digests: 2 });
        await recordHistory(h, 'daily_digest--sent');
      },
    );
    expect(calls).toHaveLength(1);
  });
});
