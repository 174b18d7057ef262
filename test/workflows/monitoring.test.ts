import { SearchKeys, stateQuery } from '@jingzhun/contracts';
import { actors, FakeRegistry } from '../support/fake-registry';
import { recordHistory } from '../support/histories';
import {
  decide,
  procedureInput,
  skip,
  startProcedure,
  waitForStep,
  withWorkers,
  refusalOf,
  timeSkippingPerTest,
} from '../support/workflow-env';

jest.setTimeout(90_000);
const DAY = 86_400_000;

describe('monitoring inclusion and risk elimination (time-skipping)', () => {
  const env = timeSkippingPerTest();

  it('monitoring inclusion: home check → data comparison → appraisal → 5-day notice → township → county → announcement → follow-up starts', async () => {
    const fake = new FakeRegistry();
    fake.policy = { ...fake.policy, noticeDays: 5, decisionDays: 15 };
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(
        env,
        procedureInput('monitoring_inclusion', {
          data: { trigger: 'visit', firstClueAt: new Date(await env.currentTimeMs()).toISOString() },
        }),
      );
      await decide(h, 'village.home_check', 'approve', actors.village, { authorisationSigned: true });
      await decide(h, 'township.data_comparison', 'approve', actors.township);
      await decide(h, 'village.appraisal', 'approve', actors.village);
      await waitForStep(h, 'village.notice');
      expect(fake.notices.map((n) => [n.regionCode, n.days])).toEqual([['411599001001', 5]]);
      await skip(env, h, 6 * DAY);
      await decide(h, 'township.review', 'approve', actors.township);
      await decide(h, 'county.approval', 'approve', actors.county, { monitoringType: 'UNSTABLE_EXITED' });
      expect((await h.result()).status).toBe('COMPLETED');
      expect(fake.announced).toBe(1);
      expect(fake.systemCases.map((c) => c.kind)).toEqual(['follow_up']);
      // Decided within 15 days of the first clue: never flagged late.
      expect(fake.calls.filter((c) => c.name === 'caseLate')).toHaveLength(0);
      await recordHistory(h, 'monitoring_inclusion--approved');
    });
  });

  it('monitoring inclusion: the 15-day clock from the first clue flags the case late and marks it overdue', async () => {
    const fake = new FakeRegistry();
    fake.policy = { ...fake.policy, noticeDays: 5, decisionDays: 15 };
    await withWorkers(env, fake, async () => {
      const clue = (await env.currentTimeMs()) - 3 * DAY; // the clue came 3 days before the case
      const h = await startProcedure(
        env,
        procedureInput('monitoring_inclusion', {
          data: { trigger: 'alert', firstClueAt: new Date(clue).toISOString() },
        }),
      );
      await waitForStep(h, 'village.home_check');
      await skip(env, h, 13 * DAY);
      const late = fake.calls.filter((c) => c.name === 'caseLate');
      expect(late).toHaveLength(1);
      expect(Math.round((late[0].at - clue) / DAY)).toBe(15);
      expect(late[0].input.deadline).toBe(new Date(clue + 15 * DAY).toISOString());
      expect((await h.query(stateQuery)).status).toBe('OPEN');
      const flags = async () => (await h.describe()).typedSearchAttributes;
      expect((await flags()).get(SearchKeys.Late)).toBe(true);
      // The next step resets Overdue; Late stays, so `Late = true` still finds the case in the Web UI.
      await decide(h, 'village.home_check', 'approve', actors.village, { authorisationSigned: true });
      await waitForStep(h, 'township.data_comparison');
      expect((await flags()).get(SearchKeys.Overdue)).toBe(false);
      expect((await flags()).get(SearchKeys.Late)).toBe(true);
      await decide(h, 'township.data_comparison', 'reject', actors.township);
      expect((await h.result()).status).toBe('REJECTED');
      await recordHistory(h, 'monitoring_inclusion--late-then-rejected');
    });
  });

  it('monitoring inclusion: a home check approved without the signed authorisation is refused naming the field', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('monitoring_inclusion', { data: { trigger: 'self_report' } }));
      const refused = await decide(h, 'village.home_check', 'approve', actors.village, {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refusalOf(refused)).toMatch(/^INVALID_FORM: data\.authorisationSigned: /);
      expect((await h.query(stateQuery)).step).toBe('village.home_check');
      await decide(h, 'village.home_check', 'reject', actors.village);
      const r = await h.result();
      expect(r.status).toBe('REJECTED');
      expect(r.outcome).toBe('入户核实未发现需纳入监测的风险');
    });
  });

  it('risk elimination: home check → appraisal → 7-day notice → county approval → announcement', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('risk_elimination'));
      await decide(h, 'village.home_check', 'approve', actors.village);
      await decide(h, 'village.appraisal', 'approve', actors.village);
      await waitForStep(h, 'village.notice');
      const early = await decide(h, 'county.approval', 'approve', actors.county).catch((e: any) => e);
      expect(refusalOf(early)).toMatch(/^NOT_YET_OPEN/);
      await skip(env, h, 8 * DAY);
      await decide(h, 'county.approval', 'approve', actors.county);
      expect((await h.result()).status).toBe('COMPLETED');
      expect(fake.notices.map((n) => n.days)).toEqual([7]);
      expect(fake.announced).toBe(1);
      await recordHistory(h, 'risk_elimination--approved');
    });
  });
});
