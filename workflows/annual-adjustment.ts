import type { CampaignState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { Campaign, campaignActivities } from './steps/campaign';
import { climbDeadlines } from './steps/deadline-ladder';
import { decide } from './steps/legal-steps';
import { Rejected, Returned } from './steps/outcome';
import { DAY_MS, Procedure } from './steps/procedure';

/**
 * 年度动态调整: the county's campaign of the year, on its policy calendar.
 * 部署培训 → 入户核查 (one verification task per household in scope, opened in batches; late villages
 * reminded, then their townships and the county told) → 数据录入 → 数据清洗 (the rules run, problem
 * items for the townships) → 县级审核 (a county sign-off, opened when no township owes an item, or at
 * the cleaning window's end) → 省级反馈整改 →
 * 工作总结 (the year's figures kept on the case). A cancellation withdraws the open work.
 */
export async function annualAdjustmentCampaign(input: ProcedureInput): Promise<CampaignState> {
  const p = await Procedure.start(input);
  const c = new Campaign(p);
  const { reminderBeforeDays, escalationGraceDays } = c.data;
  return c.run(async () => {
    await c.enterPhase('deployment');
    await c.openVerifications();
    await c.sleepUntil(c.window('visits').startsAt);

    await c.enterPhase('visits');
    const due = c.window('visits').endsAt;
    const deadline = (event: 'reminder' | 'overdue' | 'escalated-township' | 'escalated-county') => async () => {
      await campaignActivities.verificationDeadline({ caseId: input.caseId, event });
    };
    // The ladder every owed task climbs, for the whole county at once: each late village hears of it once per rung.
    await climbDeadlines(
      [
        { at: due - reminderBeforeDays * DAY_MS, run: deadline('reminder') },
        {
          at: due,
          run: async () => {
            await deadline('overdue')();
            await c.enterPhase('entry');
          },
        },
        { at: due + escalationGraceDays * DAY_MS, run: deadline('escalated-township') },
        { at: c.window('entry').endsAt, run: deadline('escalated-county') },
      ],
      async (until) => (until === null ? true : c.untilOrVerified(until)),
    );
    if (c.state.phase === 'visits') await c.enterPhase('entry');
    await c.sleepUntil(c.window('entry').endsAt);

    await c.enterPhase('cleaning');
    await campaignActivities.runCleaning({ caseId: input.caseId });
    // The audit opens when every township has fixed or explained its items, or at the window's end with what remains.
    await c.untilProblemsClosed(c.window('cleaning').endsAt);

    await c.enterPhase('audit');
    // 县级审核: a return sends the data back to the townships for the window's rest; the county audits again.
    for (;;) {
      try {
        // Due at the audit window's end (24–25 November by default); a day at least when it opens later.
        const dueAt = new Date(Math.max(c.window('audit').endsAt, Date.now() + DAY_MS)).toISOString();
        await decide(p, {
          step: 'county.audit',
          role: 'county',
          regionCode: input.countyCode,
          rejected: '县级审核未通过',
          dueAt,
        });
        break;
      } catch (err) {
        if (!(err instanceof Rejected) && !(err instanceof Returned)) throw err;
        p.state.round++;
      }
    }

    await c.enterPhase('feedback');
    await c.sleepUntil(c.window('feedback').endsAt);
    // 工作总结: the year's figures are taken when the province's feedback window closes.
    await c.enterPhase('summary');
    await campaignActivities.campaignSummary({ caseId: input.caseId });
    await c.refreshProgress();
  });
}
