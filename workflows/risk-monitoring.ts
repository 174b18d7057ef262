import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { cstDate, cstYear } from '@jingzhun/domain/src/china-time';
import {
  TaskQueues,
  type MonitoringActivities,
  type RegistryMonitoringActivities,
} from '@jingzhun/contracts/src/workflow';

const registry = proxyActivities<RegistryMonitoringActivities>({
  taskQueue: TaskQueues.registry,
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});
const monitoring = proxyActivities<MonitoringActivities>({
  taskQueue: TaskQueues.monitoring,
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * A department alert, evaluated when it arrives: the registry finds the person by the keyed hash
 * of the ID number (never the number), the monitoring service applies the risk rules in force and
 * opens the triage item (or keeps the alert as unmatched for the county to see).
 */
export async function alertTriageWorkflow(input: {
  alertId: string;
  idHash: string | null;
}): Promise<{ status: string; risky: boolean }> {
  const match = input.idHash ? await registry.matchMember({ idHash: input.idHash }) : null;
  return monitoring.evaluateAlert({ alertId: input.alertId, match });
}

/**
 * 月度风险排查: run by the Schedule `monitoring-monthly-scan`. The registry evaluates the scan rules
 * in SQL over its households one keyset page at a time; each page's flags become triage items.
 */
export async function riskScanWorkflow(
  input: { pageSize?: number } = {},
): Promise<{ scanned: number; flagged: number }> {
  const at = new Date();
  // The month and the year of the scan are China Standard Time's (DESIGN.md "Years and dates").
  const period = cstDate(at).slice(0, 7);
  const scanId = workflowInfo().workflowId;
  const rules = await monitoring.scanRules({ at: at.toISOString() });
  await monitoring.beginScan({ scanId, period });
  const scanPage = (afterId: string | null) =>
    registry.scanRisks({ rules, year: cstYear(at), afterId, limit: input.pageSize ?? 25_000 });
  // Pipelined: the registry computes the next page while the monitoring service records this one.
  let next = scanPage(null);
  for (;;) {
    const page = await next;
    if (page.scanned === 0) break;
    next = scanPage(page.lastId);
    await monitoring.recordScanFlags({ scanId, period, flags: page.flags, scanned: page.scanned });
  }
  return monitoring.finishScan({ scanId });
}
