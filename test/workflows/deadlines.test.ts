import { stateQuery } from '@jingzhun/contracts';
import { actors, FakeRegistry } from '../support/fake-registry';
import { recordHistory } from '../support/histories';
import {
  decide,
  openTask,
  procedureInput,
  refusalOf,
  skip,
  startProcedure,
  withWorkers,
  timeSkippingPerTest,
} from '../support/workflow-env';

jest.setTimeout(90_000);
// The time-skipping server occasionally stalls a skip on a starved 2-core machine; a stall is
// retried on a fresh server. A wrong time or a missing event still fails every attempt.
const DAY = 86_400_000;

describe('sign-off deadlines (time-skipping, a server of its own)', () => {
  const env = timeSkippingPerTest();

  it('reminder 2 days before, overdue at the deadline, escalation to the township after 3 days of grace', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      const t = await openTask(h, 'village.appraisal');
      const opened = new Date(t.dueAt).getTime() - 7 * DAY;
      await skip(env, h, 11 * DAY);
      expect(fake.tasks.get(t.taskId)!.events).toEqual(['reminder', 'overdue', 'escalated']);
      const at = (e: string) => fake.calls.find((c) => c.name === 'taskDeadline' && c.input.event === e)!.at - opened;
      expect(Math.round(at('reminder') / DAY)).toBe(5);
      expect(Math.round(at('overdue') / DAY)).toBe(7);
      expect(Math.round(at('escalated') / DAY)).toBe(10);
      const state = await h.query(stateQuery);
      expect(state.openTasks[0].escalatedTo).toEqual({ role: 'township', regionCode: '411599001000' });
      // 督办: the township chases the village; it cannot decide the appraisal in the village's place.
      const refused = await decide(h, 'village.appraisal', 'approve', actors.township).catch((e: unknown) => e);
      expect(refusalOf(refused)).toMatch(/^NOT_ASSIGNEE: 督办不代办/);
      const after = await decide(h, 'village.appraisal', 'approve', actors.village);
      expect(after.step).toBe('village.verification');
      await decide(h, 'village.verification', 'reject', actors.village);
      expect((await h.result()).status).toBe('REJECTED');
      await recordHistory(h, 'exit--escalated-then-rejected');
    });
  });

  it('a decision before the reminder sends no reminder', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      const t = await openTask(h, 'village.appraisal');
      await skip(env, h, 4 * DAY);
      await decide(h, 'village.appraisal', 'reject', actors.village);
      expect((await h.result()).status).toBe('REJECTED');
      expect(fake.tasks.get(t.taskId)!.events).toEqual([]);
    });
  });
});
