import { objectionSignal } from '@jingzhun/contracts';
import { actors, FakeRegistry } from '../support/fake-registry';
import { recordHistory } from '../support/histories';
import {
  decide,
  skip,
  procedureInput,
  startProcedure,
  waitForStep,
  withWorkers,
  refusalOf,
  timeSkippingPerTest,
} from '../support/workflow-env';

jest.setTimeout(90_000);
// A stall of the time-skipping server on a starved machine is retried on a fresh server; a wrong
// result fails every attempt.
const DAY = 86_400_000;

describe('identification, return, member change and village exit (time-skipping)', () => {
  const env = timeSkippingPerTest();

  it.each(['identification', 'return'] as const)(
    '%s: appraisal → visit → village notice → township → second notice → county → announcement',
    async (kind) => {
      const fake = new FakeRegistry();
      await withWorkers(env, fake, async () => {
        const h = await startProcedure(env, procedureInput(kind));
        await decide(h, 'village.appraisal', 'approve', actors.village);
        await decide(h, 'village.verification', 'approve', actors.village);
        await skip(env, h, 8 * DAY);
        await decide(h, 'township.review', 'approve', actors.township);
        await waitForStep(h, 'township.notice');
        const early = await decide(h, 'county.approval', 'approve', actors.county).catch((e: any) => e);
        expect(refusalOf(early)).toMatch(/^NOT_YET_OPEN/);
        await skip(env, h, 8 * DAY);
        await decide(h, 'county.approval', 'approve', actors.county);
        expect((await h.result()).status).toBe('COMPLETED');
        await recordHistory(h, `${kind}--approved`);
        expect(fake.notices.map((n) => [n.regionCode, n.days])).toEqual([
          ['411599001001', 7],
          ['411599001000', 7],
        ]);
        expect(fake.steps).toEqual([
          'village.appraisal',
          'village.verification',
          'village.notice',
          'township.review',
          'township.notice',
          'county.approval',
          'announcement',
        ]);
        expect(fake.announced).toBe(1);
      });
    },
  );

  it('identification: an objection to the second notice is verified by the county', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('identification'));
      await decide(h, 'village.appraisal', 'approve', actors.village);
      await decide(h, 'village.verification', 'approve', actors.village);
      await skip(env, h, 8 * DAY);
      await decide(h, 'township.review', 'approve', actors.township);
      await waitForStep(h, 'township.notice');
      await h.signal(objectionSignal, { objectionId: 'o-2', noticeId: fake.notices[1].noticeId });
      const wrongLevel = await decide(h, 'township.notice.objection', 'approve', actors.township).catch((e: any) => e);
      expect(refusalOf(wrongLevel)).toMatch(/^NOT_ASSIGNEE/);
      await decide(h, 'township.notice.objection', 'reject', actors.county);
      expect((await h.result()).status).toBe('ENDED_BY_OBJECTION');
      await recordHistory(h, 'identification--second-notice-objection-upheld');
      expect(fake.announced).toBe(0);
    });
  });

  it('member change: village verification → township approval → registry update, no notice', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(
        env,
        procedureInput('member_change', { data: { change: 'add', reason: 'BIRTH' } }),
      );
      await decide(h, 'village.verification', 'approve', actors.village);
      const wrong = await decide(h, 'township.approval', 'approve', actors.village).catch((e: any) => e);
      expect(refusalOf(wrong)).toMatch(/^NOT_ASSIGNEE/);
      await decide(h, 'township.approval', 'approve', actors.township);
      expect((await h.result()).status).toBe('COMPLETED');
      await recordHistory(h, 'member_change--approved');
      expect(fake.notices).toHaveLength(0);
      expect(fake.steps).toEqual(['village.verification', 'township.approval', 'announcement']);
    });
  });

  it('member change: return at the township goes back to village verification', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('member_change'));
      await decide(h, 'village.verification', 'approve', actors.village);
      const back = await decide(h, 'township.approval', 'return', actors.township);
      expect(back).toMatchObject({ step: 'village.verification', round: 2 });
      await decide(h, 'village.verification', 'reject', actors.village);
      expect((await h.result()).status).toBe('REJECTED');
      await recordHistory(h, 'member_change--returned-then-rejected');
    });
  });

  it('village exit: township application → county verification → township notice → county approval → announcement', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const input = procedureInput('village_exit', {
        householdId: null,
        householdNumber: null,
        regionCode: '411599001001',
        villageCode: '411599001001',
      });
      const h = await startProcedure(env, input);
      await decide(h, 'township.application', 'approve', actors.township);
      await decide(h, 'county.verification', 'approve', actors.county);
      await waitForStep(h, 'township.notice');
      expect(fake.notices[0]).toMatchObject({ regionCode: '411599001000', days: 7 });
      await skip(env, h, 8 * DAY);
      await decide(h, 'county.approval', 'approve', actors.county);
      expect((await h.result()).status).toBe('COMPLETED');
      await recordHistory(h, 'village_exit--approved');
      expect(fake.steps).toEqual([
        'township.application',
        'county.verification',
        'township.notice',
        'county.approval',
        'announcement',
      ]);
    });
  });

  it('policy decides the notice length: a 10-day notice is still running on day 9', async () => {
    const fake = new FakeRegistry();
    fake.policy = { ...fake.policy, noticeDays: 10 };
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('village_exit', { householdId: null }));
      await decide(h, 'township.application', 'approve', actors.township);
      await decide(h, 'county.verification', 'approve', actors.county);
      await waitForStep(h, 'township.notice');
      await skip(env, h, 9 * DAY);
      const early = await decide(h, 'county.approval', 'approve', actors.county).catch((e: any) => e);
      expect(refusalOf(early)).toMatch(/^NOT_YET_OPEN/);
      await skip(env, h, 2 * DAY);
      await decide(h, 'county.approval', 'approve', actors.county);
      expect((await h.result()).status).toBe('COMPLETED');
    });
  });
});
