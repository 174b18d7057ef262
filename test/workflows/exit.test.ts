import { WorkflowUpdateFailedError } from '@temporalio/client';
import { objectionSignal, stateQuery } from '@jingzhun/contracts';
import { actors, FakeRegistry } from '../support/fake-registry';
import { recordHistory } from '../support/histories';
import {
  decide,
  skip,
  openTask,
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

describe('exit procedure (time-skipping)', () => {
  const env = timeSkippingPerTest();

  async function throughVerification(_fake: FakeRegistry) {
    const h = await startProcedure(env, procedureInput('exit'));
    await decide(h, 'village.appraisal', 'approve', actors.village, {
      date: '2026-11-20',
      attendance: 42,
      votesFor: 40,
      votesAgainst: 2,
    });
    await decide(h, 'village.verification', 'approve', actors.village, { householdAgrees: true });
    return h;
  }

  it('approve all the way: steps in legal order, the notice runs 7 full days, the registry changes at announcement', async () => {
    const fake = new FakeRegistry(() => Date.now());
    await withWorkers(env, fake, async () => {
      const h = await throughVerification(fake);
      const review = await openTask(h, 'township.review');
      const notice = fake.notices[0];
      expect(notice.days).toBe(7);
      expect(review.availableAt).toBe(notice.endsAt);
      expect(new Date(notice.endsAt).getTime() - new Date(notice.startsAt).getTime()).toBeGreaterThanOrEqual(7 * DAY);

      // Nothing shortens the notice: the next step's decision is refused while it runs.
      const early = await decide(h, 'township.review', 'approve', actors.township).catch((e) => e);
      expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(refusalOf(early)).toMatch(/^NOT_YET_OPEN: 公示期未满/);

      await skip(env, h, 8 * DAY);
      await decide(h, 'township.review', 'approve', actors.township);
      await decide(h, 'county.approval', 'approve', actors.county);
      const result = await h.result();
      expect(result.status).toBe('COMPLETED');
      await recordHistory(h, 'exit--approved');
      expect(fake.announced).toBe(1);
      expect(fake.steps).toEqual([
        'village.appraisal',
        'village.verification',
        'village.notice',
        'township.review',
        'county.approval',
        'announcement',
      ]);
      expect(fake.notices[0].closed).toBe('ended');
      // The appraisal data reaches the announcement.
      const announce = fake.calls.find((c) => c.name === 'announce')!;
      expect(announce.input.decisions['village.appraisal']).toMatchObject({
        attendance: 42,
        decision: 'approve',
        by: 'v1',
      });
    });
  });

  it.each([
    ['village.appraisal', 'village'],
    ['village.verification', 'village'],
    ['township.review', 'township'],
    ['county.approval', 'county'],
  ] as const)('reject at %s ends the case without touching the registry', async (step, level) => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      const order = ['village.appraisal', 'village.verification', 'township.review', 'county.approval'];
      for (const s of order) {
        if (s === 'township.review') await skip(env, h, 8 * DAY);
        const who = s.startsWith('village')
          ? actors.village
          : s.startsWith('township')
            ? actors.township
            : actors.county;
        if (s === step) {
          await decide(h, s, 'reject', actors[level]);
          break;
        }
        await decide(h, s, 'approve', who, s === 'village.verification' ? { householdAgrees: true } : undefined);
      }
      const result = await h.result();
      expect(result.status).toBe('REJECTED');
      expect(fake.announced).toBe(0);
      expect(fake.finished?.status).toBe('REJECTED');
    });
  });

  it('return-for-revision at the township sends the case back to a new appraisal round', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await throughVerification(fake);
      await skip(env, h, 8 * DAY);
      const state = await decide(h, 'township.review', 'return', actors.township);
      expect(state.round).toBe(2);
      expect(state.step).toBe('village.appraisal');
      expect(
        new Set([...fake.tasks.values()].filter((t) => t.step === 'village.appraisal').map((t) => t.key)).size,
      ).toBe(2);
      await h.terminate('test over');
    });
  });

  it('a decision is answered after its one write, with the next step and its task; a second decision is refused', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      const t = await openTask(h, 'village.appraisal');
      const state = await decide(h, 'village.appraisal', 'approve', actors.village);
      expect(state.step).toBe('village.verification');
      // The next task's id is minted by the workflow (uuid4), the registry stores it under that id.
      const next = state.openTasks.find((o) => o.step === 'village.verification')!;
      expect(next.taskId).toMatch(/^[0-9a-f-]{36}$/);
      expect(fake.tasks.get(t.taskId)!.status).toBe('DECIDED');
      expect(fake.tasks.get(next.taskId)?.step).toBe('village.verification');
      // Closing the decided task, opening the next and moving the case: one activity.
      const writes = fake.calls.filter(
        (c) => c.name === 'advance' && c.input.close.some((x: { taskId: string }) => x.taskId === t.taskId),
      );
      expect(writes).toHaveLength(1);
      expect(writes[0].input).toMatchObject({
        open: { taskId: next.taskId, step: 'village.verification' },
        step: { step: 'village.verification' },
      });
      const again: any = await h
        .executeUpdate('decide', {
          args: [{ taskId: t.taskId, decision: 'reject', comment: '', actor: actors.village }],
        })
        .catch((e: any) => e);
      expect(refusalOf(again)).toMatch(/^TASK_CLOSED/);
      const wrong = await decide(h, 'village.verification', 'approve', actors.otherTownship).catch((e) => e);
      expect(refusalOf(wrong)).toMatch(/^NOT_ASSIGNEE/);
      const unknown: any = await h
        .executeUpdate('decide', {
          args: [
            {
              taskId: (await openTask(h, 'village.verification')).taskId,
              decision: 'maybe',
              comment: '',
              actor: actors.village,
            },
          ],
        })
        .catch((e: any) => e);
      expect(refusalOf(unknown)).toMatch(/^UNKNOWN_DECISION/);
      await h.terminate('test over');
    });
  });

  it('an objection dismissed: the procedure waits for the period and the verification, then goes on', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await throughVerification(fake);
      await waitForStep(h, 'village.notice');
      await h.signal(objectionSignal, { objectionId: 'obj-1', noticeId: fake.notices[0].noticeId });
      const verification = await openTask(h, 'village.notice.objection');
      expect(verification).toMatchObject({ role: 'township', regionCode: '411599001000', objectionId: 'obj-1' });
      await skip(env, h, 8 * DAY);
      // Period over, objection still open: the review stays closed.
      const blocked = await decide(h, 'township.review', 'approve', actors.township).catch((e) => e);
      expect(refusalOf(blocked)).toMatch(/^NOT_YET_OPEN: 公示期间有 1 条异议/);
      await decide(h, 'village.notice.objection', 'approve', actors.township, { finding: '经核实, 收入情况属实' });
      expect(fake.objections.get('obj-1')).toBe('DISMISSED');
      await decide(h, 'township.review', 'approve', actors.township);
      await decide(h, 'county.approval', 'approve', actors.county);
      expect((await h.result()).status).toBe('COMPLETED');
      await recordHistory(h, 'exit--objection-dismissed');
    });
  });

  it('an objection upheld ends the procedure or returns it to appraisal, as the officer chooses', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const ended = await throughVerification(fake);
      await waitForStep(ended, 'village.notice');
      await ended.signal(objectionSignal, { objectionId: 'obj-end', noticeId: fake.notices.at(-1)!.noticeId });
      await decide(ended, 'village.notice.objection', 'reject', actors.township);
      const r = await ended.result();
      expect(r.status).toBe('ENDED_BY_OBJECTION');
      await recordHistory(ended, 'exit--objection-upheld');
      expect(fake.notices.at(-1)!.closed).toBe('withdrawn');
      expect(fake.announced).toBe(0);

      const returned = await throughVerification(fake);
      await waitForStep(returned, 'village.notice');
      await returned.signal(objectionSignal, { objectionId: 'obj-ret', noticeId: fake.notices.at(-1)!.noticeId });
      const state = await decide(returned, 'village.notice.objection', 'return', actors.township);
      expect(fake.objections.get('obj-ret')).toBe('UPHELD');
      const after = await waitForStep(returned, 'village.appraisal');
      expect(after.round).toBe(2);
      expect(state.status).toBe('OPEN');
      await returned.terminate('test over');
    });
  });

  it('the household must agree at the verification visit: an approval without it is refused naming the field; a disagreement ends the case', async () => {
    const fake = new FakeRegistry();
    await withWorkers(env, fake, async () => {
      const h = await startProcedure(env, procedureInput('exit'));
      await decide(h, 'village.appraisal', 'approve', actors.village);
      const refused = await decide(h, 'village.verification', 'approve', actors.village, {
        householdAgrees: false,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refusalOf(refused)).toMatch(/^INVALID_FORM: data\.householdAgrees: /);
      expect((await h.query(stateQuery)).step).toBe('village.verification');
      await decide(h, 'village.verification', 'reject', actors.village);
      expect((await h.result()).status).toBe('REJECTED');
    });
  });

  it('preconditions failing again at announcement refuse the registry change', async () => {
    const fake = new FakeRegistry();
    fake.obstaclesAtAnnouncement = ['年人均纯收入 3900 元未超过当年标准 4000 元'];
    await withWorkers(env, fake, async () => {
      const h = await throughVerification(fake);
      await skip(env, h, 8 * DAY);
      await decide(h, 'township.review', 'approve', actors.township);
      await decide(h, 'county.approval', 'approve', actors.county);
      const r = await h.result();
      expect(r.status).toBe('REFUSED');
      expect(r.outcome).toContain('3900');
    });
  });
});
