import type { CaseState, ProcedureInput } from '@jingzhun/contracts/src/workflow';
import { announce } from './steps/announcement';
import { patched } from '@temporalio/workflow';
import { PROCEDURES } from '@jingzhun/domain/src/procedures/catalogue';
import type { StepId } from '@jingzhun/domain/src/procedures/steps';
import {
  countyApproval,
  decide,
  decideAfterNotice,
  townshipDataComparison,
  townshipReview,
  villageAppraisal,
  villageHomeCheck,
  villageNotice,
  type StepSpec,
} from './steps/legal-steps';
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
  const days = p.policy.decisionDays ?? 15;
  void decisionClock(p, firstClue + days * DAY_MS);
  // Each sign-off is due by its share of the clock (the catalogue's clockShares), so the steps fit
  // the 15 days the rule allows; cases started before this kept the generic deadlines.
  const onClock = patched('monitoring-decision-clock')
    ? (spec: StepSpec): StepSpec => ({ ...spec, dueAt: clockDue(firstClue, days, spec.step) })
    : (spec: StepSpec) => spec;
  return rounds(p, async () => {
    // 入户核实 with the household's signed authorisation to compare its data (data.authorisationSigned).
    const home = await decide(
      p,
      onClock({ ...villageHomeCheck(p, '入户核实未发现需纳入监测的风险'), requires: signedAuthorisation }),
    );
    if (home.data?.authorisationSigned !== true) throw new Rejected('农户未签署信息核对授权书');
    // 数据比对 with the departments' records (乡镇).
    await decide(p, onClock(townshipDataComparison(p)));
    await decide(p, onClock(villageAppraisal(p)));
    // 村内公示 at least 5 days (policy; nothing shortens it), then the township review.
    await decideAfterNotice(p, villageNotice(p), onClock(townshipReview(p)));
    // The county names the monitoring type and risk (data.monitoringType, data.risk).
    await decide(p, onClock(countyApproval(p)));
    return announce(p, async () => {
      await registry.openSystemCase({
        kind: 'follow_up',
        householdId: input.householdId!,
        reason: '纳入监测, 按月回访',
        data: { basis: 'monitored' },
      });
    });
  });
}

/** When a step of the clock must be decided: its share of the days from the first clue. */
function clockDue(firstClue: number, days: number, step: string): string {
  const share = PROCEDURES.monitoring_inclusion.clockShares?.[step as StepId] ?? 1;
  return new Date(firstClue + Math.round(share * days * DAY_MS)).toISOString();
}

/** The 15-day clock from the first risk clue: when it runs out before the announcement, the case is late. */
async function decisionClock(p: Procedure, deadline: number): Promise<void> {
  const decided = () => p.state.status !== 'OPEN' || p.state.step === 'announcement';
  if (await waitUntil(decided, deadline)) return;
  p.markOverdue(true);
  p.markLate();
  await registry.caseLate({ caseId: p.input.caseId, deadline: new Date(deadline).toISOString() });
}
