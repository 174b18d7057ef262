import { stateQuery, type ProcedureKind } from '@jingzhun/contracts';
import { PROCEDURES, STEPS, stepsOf, type StepId } from '@jingzhun/domain';
import { actors, FakeRegistry } from '../support/fake-registry';
import {
  decide,
  openTask,
  procedureInput,
  refusalOf,
  skip,
  startProcedure,
  waitForStep,
  withWorkers,
  timeSkippingPerTest,
} from '../support/workflow-env';

jest.setTimeout(120_000);
const DAY = 86_400_000;

/** What each approval carries in these tests (the records are checked by the registry, not the workflow). */
const approvalData = { householdAgrees: true, authorisationSigned: true, monitoringType: 'MARGINAL' };

describe('the procedure catalogue drives the workflows (time-skipping)', () => {
  const env = timeSkippingPerTest();

  const kinds = (Object.keys(PROCEDURES) as ProcedureKind[]).filter(
    (k) => k !== 'follow_up' && k !== 'annual_adjustment',
  );

  it.each(kinds)(
    '%s enters exactly its catalogue steps, in legal order, each decided at the catalogue level',
    async (kind) => {
      const fake = new FakeRegistry();
      await withWorkers(env, fake, async () => {
        const village = kind === 'village_exit' ? { householdId: null, householdNumber: null } : {};
        const h = await startProcedure(
          env,
          procedureInput(kind, {
            ...village,
            data: { firstClueAt: new Date(await env.currentTimeMs()).toISOString() },
          }),
        );
        // The catalogue, read as a script: each sign-off decided by its level, each notice waited out.
        for (const step of stepsOf(kind)) {
          const def = STEPS[step];
          if (def.nature === 'notice') {
            await waitForStep(h, step);
            await skip(env, h, 8 * DAY);
          } else if (def.nature === 'sign_off') {
            await decide(h, step, 'approve', actors[def.level], approvalData);
          }
        }
        expect((await h.result()).status).toBe('COMPLETED');
        expect(fake.steps).toEqual(stepsOf(kind));
        // Every task the workflow opened was for the level the catalogue names.
        for (const t of fake.tasks.values()) expect(t.role).toBe(STEPS[t.step as StepId].level);
      });
    },
  );

  it("纳入监测: every sign-off falls due inside the 15 days from the first clue, in the catalogue's shares", async () => {
    const fake = new FakeRegistry();
    fake.policy = { ...fake.policy, noticeDays: 5, decisionDays: 15 };
    await withWorkers(env, fake, async () => {
      const firstClue = (await env.currentTimeMs()) - DAY;
      const h = await startProcedure(
        env,
        procedureInput('monitoring_inclusion', { data: { firstClueAt: new Date(firstClue).toISOString() } }),
      );
      const dueDay = async (step: StepId) => (Date.parse((await openTask(h, step)).dueAt) - firstClue) / DAY;
      expect(await dueDay('village.home_check')).toBe(2);
      await decide(h, 'village.home_check', 'approve', actors.village, approvalData);
      expect(await dueDay('township.data_comparison')).toBe(3);
      await decide(h, 'township.data_comparison', 'approve', actors.township);
      expect(await dueDay('village.appraisal')).toBe(5);
      await decide(h, 'village.appraisal', 'approve', actors.village);
      await waitForStep(h, 'village.notice');
      expect(await dueDay('township.review')).toBe(13);
      await skip(env, h, 6 * DAY);
      await decide(h, 'township.review', 'approve', actors.township);
      expect(await dueDay('county.approval')).toBe(15);
      await decide(h, 'county.approval', 'approve', actors.county, approvalData);
      expect((await h.result()).status).toBe('COMPLETED');
      // The generic deadlines (7 + 7 + 7 + 7 + 10 days) would not fit: none was used.
      for (const t of fake.tasks.values()) expect(Date.parse(t.dueAt) - firstClue).toBeLessThanOrEqual(15 * DAY);
    });
  });
});

describe('督办: escalation chases the lower level, never decides its step (time-skipping)', () => {
  const env = timeSkippingPerTest();

  /** Lets the task run past its deadline and grace period, so it escalates one level up. */
  async function escalate(h: Awaited<ReturnType<typeof startProcedure>>, step: string) {
    const t = await openTask(h, step);
    await skip(env, h, Date.parse(t.dueAt) - (await env.currentTimeMs()) + 4 * DAY);
    const escalated = (await h.query(stateQuery)).openTasks.find((x) => x.step === step)!;
    expect(escalated.escalatedTo).not.toBeNull();
    return escalated;
  }

  it('a village appraisal escalated to the township: the township cannot approve or reject it, may return the case, and the village decides', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      const t = await escalate(h, 'village.appraisal');
      expect(t.escalatedTo).toEqual({ role: 'township', regionCode: '411599001000' });
      for (const decision of ['approve', 'reject'] as const) {
        expect(
          refusalOf(await decide(h, 'village.appraisal', decision, actors.township).catch((e: unknown) => e)),
        ).toMatch(/^NOT_ASSIGNEE: 督办不代办/);
      }
      const back = await decide(h, 'village.appraisal', 'return', actors.township);
      expect(back).toMatchObject({ step: 'village.appraisal', round: 2 });
      await decide(h, 'village.appraisal', 'approve', actors.village);
      expect((await h.query(stateQuery)).step).toBe('village.verification');
    });
  });

  it("the household's agreement at an escalated verification visit is recorded only by the village", async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      await decide(h, 'village.appraisal', 'approve', actors.village);
      await escalate(h, 'village.verification');
      const refused = await decide(h, 'village.verification', 'approve', actors.township, {
        householdAgrees: true,
      }).catch((e: unknown) => e);
      expect(refusalOf(refused)).toMatch(/^NOT_ASSIGNEE: 督办不代办/);
      await decide(h, 'village.verification', 'approve', actors.village, { householdAgrees: true });
      await waitForStep(h, 'village.notice');
    });
  });

  it("a township review escalated to the county: the county cannot sign it, so the county approval stays a second officer's", async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      await decide(h, 'village.appraisal', 'approve', actors.village);
      await decide(h, 'village.verification', 'approve', actors.village, { householdAgrees: true });
      await waitForStep(h, 'village.notice');
      await skip(env, h, 8 * DAY);
      const t = await escalate(h, 'township.review');
      expect(t.escalatedTo).toEqual({ role: 'county', regionCode: '411599000000' });
      expect(refusalOf(await decide(h, 'township.review', 'approve', actors.county).catch((e: unknown) => e))).toMatch(
        /^NOT_ASSIGNEE: 督办不代办/,
      );
      await decide(h, 'township.review', 'approve', actors.township);
      await decide(h, 'county.approval', 'approve', actors.county);
      expect((await h.result()).status).toBe('COMPLETED');
      const approvals = fake.calls
        .filter((c) => c.name === 'closeTask')
        .map((c) => c.input as { decision: string; actor: { role: string } })
        .filter((c) => c.decision === 'approve');
      expect(approvals.map((c) => c.actor.role)).toEqual(['village', 'village', 'township', 'county']);
    });
  });
});
