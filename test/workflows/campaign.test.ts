import type { WorkflowHandle } from '@temporalio/client';
import { campaignStateQuery, cancelCampaignUpdate, type CampaignData } from '@jingzhun/contracts';
import { campaignCalendar } from '@jingzhun/domain';
import { actors } from '../support/fake-registry';
import { recordHistory } from '../support/histories';
import { FakeCampaignRegistry } from '../support/fake-campaign';
import { decide, procedureInput, startProcedure, timeSkippingPerTest, withWorkers } from '../support/workflow-env';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const YEAR = 2027;
/** 24:00 CST of a day of the campaign's year, as a UTC instant (ms). */
const endOfDay = (m: number, d: number) => Date.UTC(YEAR, m - 1, d + 1) - 8 * 3_600_000;
const VILLAGES = { '411599001001': 2, '411599001002': 3, '411599002001': 1 };

function campaignInput(startsAt: string) {
  const data: CampaignData = {
    categories: ['poor', 'exited', 'monitored'],
    marginalLine: 6000,
    transitionUntil: '2030-12-31',
    calendar: campaignCalendar(YEAR, {}, startsAt),
    villages: Object.entries(VILLAGES).map(([code, households]) => ({ code, households })),
    households: 6,
    reminderBeforeDays: 3,
    escalationGraceDays: 2,
  };
  return procedureInput('annual_adjustment', {
    workflowId: `annual_adjustment/411599000000/${YEAR}/${Math.random().toString(36).slice(2, 8)}`,
    householdId: null,
    householdNumber: null,
    regionCode: '411599000000',
    villageCode: null,
    townshipCode: '411599000000',
    countyCode: '411599000000',
    year: YEAR,
    data: data as unknown as Record<string, unknown>,
    openedBy: actors.county,
  });
}

/** Skips the server's clock to `at` (ms), after the workflow is idle. */
async function skipTo(env: TestWorkflowEnvironment, h: WorkflowHandle, at: number) {
  for (let i = 0; i < 100; i++) {
    const raw = (await h.describe()).raw;
    if (!raw.pendingActivities?.length && !raw.pendingWorkflowTask) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const now = await env.currentTimeMs();
  if (at > now) await env.sleep(at - now);
}

describe('年度动态调整: the campaign on its calendar (time-skipping, a server of its own)', () => {
  const env = timeSkippingPerTest();

  it('September to December: tasks opened in batches, late villages reminded and escalated at the right times, the county audit, the summary', async () => {
    const fake = new FakeCampaignRegistry(VILLAGES);
    await withWorkers(env, fake, async () => {
      const start = await env.currentTimeMs();
      const h = await startProcedure(env, campaignInput(new Date(start).toISOString()));
      await skipTo(env, h, endOfDay(9, 29));
      expect((await h.query(campaignStateQuery)).phase).toBe('deployment');
      // Every village's tasks were opened at the start, in batches of villages, not one workflow per household.
      expect(fake.calls.filter((c) => c.name === 'openVerifications').map((c) => c.input.villages)).toEqual([
        Object.keys(VILLAGES),
      ]);
      expect(fake.opened.size).toBe(3);

      // Village 1 is done by mid-October; the others are still owed when the reminder goes.
      await skipTo(env, h, endOfDay(10, 10));
      fake.verified['411599001001'] = 2;
      await skipTo(env, h, endOfDay(10, 29));
      expect((await h.query(campaignStateQuery)).phase).toBe('visits');
      const at = (event: string) =>
        fake.calls.find((c) => c.name === 'verificationDeadline' && c.input.event === event)?.at;
      // The reminder 3 days before the visit phase ends (31 October, 24:00 CST).
      expect(at('reminder')).toBeGreaterThanOrEqual(endOfDay(10, 28));
      expect(at('reminder')! - endOfDay(10, 28)).toBeLessThan(60_000);
      expect(fake.deadlines[0]).toEqual({ event: 'reminder', villages: ['411599001002', '411599002001'] });

      // Village 2 finishes late on 1 November; village 3 only after its township was told.
      await skipTo(env, h, endOfDay(11, 1));
      fake.verified['411599001002'] = 3;
      await skipTo(env, h, endOfDay(11, 5));
      expect(at('overdue')! - endOfDay(10, 31)).toBeLessThan(60_000);
      expect(at('escalated-township')! - endOfDay(11, 2)).toBeLessThan(60_000);
      expect(fake.deadlines.map((d) => [d.event, d.villages])).toEqual([
        ['reminder', ['411599001002', '411599002001']],
        ['overdue', ['411599001002', '411599002001']],
        ['escalated-township', ['411599002001']],
      ]);
      expect((await h.query(campaignStateQuery)).phase).toBe('entry');
      fake.verified['411599002001'] = 1;
      fake.problems = 2;

      // Everyone verified: no county escalation at the end of data entry. Cleaning runs its rules when
      // the window opens; the audit waits while a township owes items, and opens the day they are done.
      await skipTo(env, h, endOfDay(11, 21) + 3_600_000);
      expect((await h.query(campaignStateQuery)).phase).toBe('cleaning');
      expect(fake.calls.find((c) => c.name === 'runCleaning')!.at - endOfDay(11, 20)).toBeLessThan(60_000);
      expect([...fake.tasks.values()].some((t) => t.step === 'county.audit')).toBe(false);
      fake.problems = 0;
      await skipTo(env, h, endOfDay(11, 24));
      expect(at('escalated-county')).toBeUndefined();
      const state = await h.query(campaignStateQuery);
      expect(state.phase).toBe('audit');
      expect(state.progress).toMatchObject({ inScope: 6, verified: 6 });
      expect(fake.steps).toEqual([
        'campaign.deployment',
        'campaign.visits',
        'campaign.entry',
        'campaign.cleaning',
        'campaign.audit',
        'county.audit',
      ]);
      const audit = [...fake.tasks.values()].find((t) => t.step === 'county.audit')!;
      expect(audit).toMatchObject({ role: 'county', regionCode: '411599000000', status: 'OPEN' });
      const opening = fake.calls.find(
        (c) =>
          (c.name === 'advance' ? c.input.open?.step : c.name === 'openTask' ? c.input.step : null) === 'county.audit',
      )!;
      expect(Math.abs(opening.at - endOfDay(11, 22))).toBeLessThan(60_000);
      // Due when the calendar's audit window closes (25 November), not after the policy's days for a county sign-off.
      const opened = opening.name === 'advance' ? opening.input.open : opening.input;
      expect(new Date(opened.dueAt).getTime()).toBe(endOfDay(11, 25));
      await decide(h, 'county.audit', 'approve', actors.county);

      // The summary when the province's feedback window closes, then the case is complete.
      await skipTo(env, h, endOfDay(12, 31) + DAY);
      const result = await h.result();
      expect(result.status).toBe('COMPLETED');
      expect(result.phase).toBe('finished');
      expect(fake.summaries).toBe(1);
      expect(fake.calls.find((c) => c.name === 'campaignSummary')!.at - endOfDay(12, 31)).toBeLessThan(60_000);
      expect(fake.finished?.status ?? fake.finishedCases.at(-1)?.status).toBe('COMPLETED');
      await recordHistory(h, 'annual_adjustment--whole-calendar');
    });
  });

  it('a cancellation withdraws the open work and ends the case CANCELLED', async () => {
    const fake = new FakeCampaignRegistry(VILLAGES);
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, campaignInput(new Date(await env.currentTimeMs()).toISOString()));
      await skipTo(env, h, endOfDay(10, 5));
      fake.verified['411599001001'] = 2;
      const state = await h.executeUpdate(cancelCampaignUpdate, {
        args: [{ actor: actors.county, reason: '上级通知调整方案' }],
      });
      expect(state.status).toBe('CANCELLED');
      expect(fake.calls.find((c) => c.name === 'withdrawCampaign')!.input).toMatchObject({
        actor: actors.county,
        reason: '上级通知调整方案',
      });
      expect(fake.withdrawn).toBe(4);
      expect((await h.result()).status).toBe('CANCELLED');
      expect(fake.calls.some((c) => c.name === 'verificationDeadline')).toBe(false);
      await recordHistory(h, 'annual_adjustment--cancelled');
    });
  });

  it('the county audit opens at the end of the cleaning window with what the townships still owe', async () => {
    const fake = new FakeCampaignRegistry(VILLAGES);
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, campaignInput(new Date(await env.currentTimeMs()).toISOString()));
      Object.assign(fake.verified, VILLAGES);
      fake.problems = 5;
      await skipTo(env, h, endOfDay(11, 22) + 3_600_000);
      expect((await h.query(campaignStateQuery)).phase).toBe('cleaning');
      await skipTo(env, h, endOfDay(11, 24));
      expect((await h.query(campaignStateQuery)).phase).toBe('audit');
      const opening = fake.calls.find(
        (c) =>
          (c.name === 'advance' ? c.input.open?.step : c.name === 'openTask' ? c.input.step : null) === 'county.audit',
      )!;
      expect(Math.abs(opening.at - endOfDay(11, 23))).toBeLessThan(60_000);
      // Every household was verified before the reminder: no village was told it was late.
      expect(fake.deadlines).toEqual([]);
    });
  });
});
