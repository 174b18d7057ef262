import {
  cadenceChangedSignal,
  followUpStateQuery,
  helperReassignedSignal,
  type FollowUpState,
} from '@jingzhun/contracts';
import { FakeRegistry } from '../support/fake-registry';
import { DAY, followUpInput, helper, openRevisit, quiet, start, visit } from '../support/follow-up-helpers';
import { recordHistory } from '../support/histories';
import { skip, withWorkers, refusalOf, timeSkippingPerTest } from '../support/workflow-env';

jest.setTimeout(180_000);

/** The validator's refusal message (the update fails with it as the cause). */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!err) throw new Error('the update was accepted');
  return refusalOf(err);
}

describe('follow-up 回访 (time-skipping, a server of its own)', () => {
  const env = timeSkippingPerTest();

  it('five years of quarterly revisits, some late, then the transition period ends', async () => {
    const fake = new FakeRegistry();
    const t0 = await env.currentTimeMs();
    fake.cycle = { ...fake.cycle, endsAt: new Date(t0 + 5 * 365 * DAY + 30 * DAY).toISOString() };
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      const h = await start(env, input);
      const late = new Set([3, 8, 14]);
      let previousDue = t0;
      for (let cycle = 1; cycle <= 20; cycle++) {
        const s = await openRevisit(env, input.workflowId, cycle);
        const due = Date.parse(s.nextDueAt!);
        // Quarterly on the calendar: 89–92 days after the previous due date.
        expect(Math.round((due - previousDue) / DAY)).toBeGreaterThanOrEqual(89);
        expect(Math.round((due - previousDue) / DAY)).toBeLessThanOrEqual(92);
        previousDue = due;
        const now = await env.currentTimeMs();
        // On time: the helper visits 3 days before the due date; late: 10 days after it.
        await skip(env, h, due - now + (late.has(cycle) ? 10 * DAY : -3 * DAY));
        await visit(env, input.workflowId, s.openTaskId!, helper);
      }
      const result: FollowUpState = await env.client.workflow.getHandle(input.workflowId).result();
      expect(result.status).toBe('FINISHED');
      expect(result.outcome).toBe('过渡期结束, 回访完成');
      expect(result.visits).toBe(20);
      expect(result.overdueCount).toBe(3);
      expect(fake.visits).toHaveLength(20);
      expect(fake.visits.filter((v) => v.late).length).toBe(3);
      expect(fake.finishedCases.map((c) => c.caseId)).toEqual([input.caseId]);
      // Five virtual years passed; each run (one cycle) stayed small.
      expect((await env.currentTimeMs()) - t0).toBeGreaterThan(5 * 365 * DAY);
      const lastRun = await env.client.workflow.getHandle(input.workflowId).fetchHistory();
      expect(lastRun.events!.length).toBeLessThan(60);
      // Every late cycle got its overdue reminder and escalation to the village; none went to the township.
      // The reminder before the due date is the notifications service's morning digest ('revisit-reminders-daily').
      const events = [...fake.tasks.values()].map((t) => t.events.join(','));
      expect(events.filter((e) => e === 'overdue,escalated')).toHaveLength(3);
      expect(events.filter((e) => e === '')).toHaveLength(17);
    });
  });

  it('overdue: overdue reminder at the due date, village after 7 days of grace, township after 14 (the reminder before is the daily digest)', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      const h = await start(env, input);
      const s = await openRevisit(env, input.workflowId, 1);
      const due = Date.parse(s.nextDueAt!);
      await skip(env, h, due - (await env.currentTimeMs()) + 15 * DAY);
      const deadlines = fake.calls.filter((c) => c.name === 'taskDeadline');
      expect(deadlines.map((c) => c.input.event)).toEqual(['overdue', 'escalated', 'escalated']);
      const days = deadlines.map((c) => Math.round((c.at - due) / DAY));
      expect(days).toEqual([0, 7, 14]);
      expect(deadlines.map((c) => c.input.escalatedTo ?? null)).toEqual([
        null,
        { role: 'village', regionCode: '411599001001' },
        { role: 'township', regionCode: '411599001000' },
      ]);
      const state = await h.query(followUpStateQuery);
      expect(state.overdue).toBe(true);
      expect(state.overdueCount).toBe(1);
      // 督办: the township, escalated to, chases the visit; it cannot record a visit it did not make.
      const refused = await visit(env, input.workflowId, s.openTaskId!, {
        id: 't1',
        role: 'township',
        regionCode: '411599001000',
      }).catch((e: unknown) => e);
      expect(refusalOf(refused)).toMatch(/^NOT_ASSIGNEE/);
      await visit(env, input.workflowId, s.openTaskId!, { id: 'v1', role: 'village', regionCode: '411599001001' });
      await openRevisit(env, input.workflowId, 2);
      await recordHistory(h, 'follow_up--overdue-escalated');
    });
  });

  it('a visit that finds risk starts monitoring inclusion by itself', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      await start(env, input);
      const s = await openRevisit(env, input.workflowId, 1);
      await visit(env, input.workflowId, s.openTaskId!, helper, {
        ...quiet,
        incomeChange: 'down',
        newRisks: ['illness'],
      });
      await openRevisit(env, input.workflowId, 2);
      expect(fake.systemCases).toHaveLength(1);
      expect(fake.systemCases[0]).toMatchObject({
        kind: 'monitoring_inclusion',
        householdId: input.householdId,
        data: { trigger: 'visit', monitoringType: 'UNSTABLE_EXITED' },
      });
    });
  });

  it('refuses a visit by another helper, an incomplete form, and a second record of the same visit', async () => {
    const fake = new FakeRegistry();
    fake.checkRecords = true;
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      await start(env, input);
      const s = await openRevisit(env, input.workflowId, 1);
      expect(await refusal(visit(env, input.workflowId, s.openTaskId!, { ...helper, id: 'helper-2' }))).toMatch(
        /NOT_ASSIGNEE/,
      );
      expect(await refusal(visit(env, input.workflowId, s.openTaskId!, helper, { incomeChange: 'same' }))).toMatch(
        /INVALID_FORM: data\.needs/,
      );
      await visit(env, input.workflowId, s.openTaskId!, helper);
      expect(await refusal(visit(env, input.workflowId, s.openTaskId!, helper))).toMatch(/TASK_CLOSED/);
      expect(fake.visits).toHaveLength(1);
    });
  });

  it('helper reassignment moves the open revisit; a cadence change applies from the next cycle', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      const h = await start(env, input);
      const s = await openRevisit(env, input.workflowId, 1);
      await h.signal(helperReassignedSignal, { helperId: 'helper-2' });
      await h.signal(cadenceChangedSignal, { cadence: 'P1M' });
      for (let i = 0; i < 200 && !fake.calls.some((c) => c.name === 'reassignTask'); i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(fake.tasks.get(s.openTaskId!)!.assigneeId).toBe('helper-2');
      expect(await refusal(visit(env, input.workflowId, s.openTaskId!, helper))).toMatch(/NOT_ASSIGNEE/);
      await visit(env, input.workflowId, s.openTaskId!, { ...helper, id: 'helper-2' });
      const next = await openRevisit(env, input.workflowId, 2);
      const gap = Math.round((Date.parse(next.nextDueAt!) - Date.parse(s.nextDueAt!)) / DAY);
      expect(gap).toBeGreaterThanOrEqual(28);
      expect(gap).toBeLessThanOrEqual(31);
    });
  });

  it('stops without a revisit when the household is no longer followed up (closed, back to POOR)', async () => {
    const fake = new FakeRegistry();
    fake.cycle = { ...fake.cycle, active: false, why: '户状态为 CLOSED, 不再回访' };
    await withWorkers(env, fake, async () => {
      const input = followUpInput();
      const result: FollowUpState = await (await start(env, input)).result();
      expect(result.outcome).toBe('户状态为 CLOSED, 不再回访');
      expect(fake.tasks.size).toBe(0);
    });
  });
});
