import { FakeRegistry } from '../support/fake-registry';
import { DAY, followUpInput, helper, openRevisit, start, visit } from '../support/follow-up-helpers';
import { skip, withWorkers, timeSkippingPerTest } from '../support/workflow-env';

jest.setTimeout(180_000);

/**
 * #23 §1: what one household costs Temporal and the registry in a steady year of quarterly
 * revisits, each visited on time: per cycle (one run, continued as new) its workflow tasks, its
 * history events and its activities (each activity is one registry transaction). The ceilings
 * hold the follow-up lean; the figures are printed for the README and docs/scale.md.
 */
describe('follow-up: the steady-state cost of a household-year', () => {
  const env = timeSkippingPerTest();

  it('a quarter costs at most 5 workflow tasks, 36 history events and 2 activities (was 11, 64, 6)', async () => {
    const fake = new FakeRegistry();
    const t0 = await env.currentTimeMs();
    fake.cycle = { ...fake.cycle, endsAt: new Date(t0 + 3 * 365 * DAY).toISOString() };
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      const h = await start(env, input);
      const runs: string[] = [];
      // Cycle 1 is the start; cycles 2–5 are the steady year measured.
      for (let cycle = 1; cycle <= 6; cycle++) {
        const s = await openRevisit(env, input.workflowId, cycle);
        runs.push((await env.client.workflow.getHandle(input.workflowId).describe()).runId);
        const now = await env.currentTimeMs();
        await skip(env, h, Date.parse(s.nextDueAt!) - now - 3 * DAY);
        await visit(env, input.workflowId, s.openTaskId!, helper);
      }
      const year = { workflowTasks: 0, historyEvents: 0, activities: 0 };
      const byActivity = new Map<string, number>();
      for (let i = 1; i <= 4; i++) {
        const history = await env.client.workflow.getHandle(input.workflowId, runs[i]).fetchHistory();
        const events = history.events ?? [];
        year.historyEvents += events.length;
        year.workflowTasks += events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
        for (const e of events) {
          const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
          if (!name) continue;
          year.activities++;
          byActivity.set(name, (byActivity.get(name) ?? 0) + 1);
        }
      }
      process.stdout.write(
        `回访 每户每年 (4 个季度周期, 按时回访): 工作流任务 ${year.workflowTasks}, 历史事件 ${year.historyEvents}, ` +
          `活动 ${year.activities} (${[...byActivity].map(([n, k]) => `${n} ${k}`).join(', ')})\n`,
      );
      expect(year.workflowTasks).toBeLessThanOrEqual(4 * 5);
      expect(year.historyEvents).toBeLessThanOrEqual(4 * 36);
      expect(year.activities).toBeLessThanOrEqual(4 * 2);
      // 'lean-cycle': the visit's one transaction closes its task and opens the next cycle; the reminder
      // before the due date is the notifications service's morning digest ('revisit-reminders-daily').
      expect(byActivity.get('recordRevisit')).toBe(4);
      for (const gone of ['closeTask', 'followUpCycle', 'openTask', 'enterStep', 'taskDeadline'])
        expect(byActivity.get(gone)).toBeUndefined();
    });
  });
});
