import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { countyApproval, decide, decideAfterNotice, townshipDataComparison, townshipReview, villageAppraisal, villageHomeCheck, villageNotice } from './steps/legal-steps';
import { Rejected, rounds } from './steps/outcome';
import { DAY_MS, Procedure, registry, waitUntil } from './steps/procedure';
import { signedAuthorisation } from './steps/requirements';

/**
 * 纳入监测: a risk clue (self-report, a cadre's visit or a department alert) → within 15 days
 * (policy `monitoringDecisionDays`) from the first clue: home check + the household's signed
 * authorisation → data comparison → village appraisal → village notice ≥ 5 d → township review →
 * county approval → announcement → MONITORED with its type; its monthly follow-up starts.
 * When the clock runs out before the decision, the case is flagged late and the county is told.
 */
export async function monitoringInclusionProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  const firstClue = Date.parse(String(input.data.firstClueAt ?? '')) || Date.now();
  void decisionClock(p, firstClue + (p.policy.decisionDays ?? 15) * DAY_MS);
  return rounds(p, async () => {
    // 入户核实 with the household's signed authorisation to compare its data (data.authorisationSigned).
    const home = await decide(p, { ...villageHomeCheck(p, '入户核实未发现需纳入监测的风险'), requires: signedAuthorisation });
    if (home.data?.authorisationSigned !== true) throw new Rejected('农户未签署信息核对授权书');
    // 数据比对 with the departments' records (乡镇).
    await decide(p, townshipDataComparison(p));
    await decide(p, villageAppraisal(p));
    // 村内公示 at least 5 days (policy; nothing shortens it), then the township review.
    await decideAfterNotice(p, villageNotice(p), townshipReview(p));
    // The county names the monitoring type and risk (data.monitoringType, data.risk).
    await decide(p, countyApproval(p));
    return announce(p, async () => {
      await registry.openSystemCase({ kind: 'follow_up', householdId: input.householdId!, reason: '纳入监测, 按月回访', data: { basis: 'monitored' } });
    });
  });
}

/** The 15-day clock from the first risk clue: when it runs out before the announcement, the case is late. */
async function decisionClock(p: Procedure, deadline: number): Promise<void> {
  const decided = () => p.state.status !== 'OPEN' || p.state.step === 'announcement';
  if (await waitUntil(decided, deadline)) return;
  p.markOverdue(true);
  p.markLate();
  await registry.caseLate({ caseId: p.input.caseId, deadline: new Date(deadline).toISOString() });
}
