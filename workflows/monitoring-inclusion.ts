import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { noticeThenSignOff } from './steps/notice';
import { route } from './steps/outcome';
import { DAY_MS, Procedure, registry, waitUntil } from './steps/procedure';
import { signedAuthorisation } from './steps/requirements';
import { signOff } from './steps/sign-off';

/**
 * 纳入监测: a risk clue (self-report, a cadre's visit or a department alert) → within 15 days
 * (policy `monitoringDecisionDays`) from the first clue: home check + the household's signed
 * authorisation → data comparison → village appraisal → village notice ≥ 5 d → township review →
 * county approval → announcement → MONITORED with its type; its monthly follow-up starts.
 * When the clock runs out before the decision, the case is flagged late and the county is told.
 */
export async function monitoringInclusionProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  const { townshipCode, countyCode } = input;
  const firstClue = Date.parse(String(input.data.firstClueAt ?? '')) || Date.now();
  void decisionClock(p, firstClue + (p.policy.decisionDays ?? 15) * DAY_MS);
  for (; ; p.state.round++) {
    // 入户核实 with the household's signed authorisation to compare its data (data.authorisationSigned).
    const home = await signOff(p, { step: 'village.home_check', role: 'village', regionCode: p.villageCode, requires: signedAuthorisation });
    if (route(home) === 'stop') return p.finish('REJECTED', '入户核实未发现需纳入监测的风险');
    if (route(home) === 'again') continue;
    if (home.data?.authorisationSigned !== true) return p.finish('REJECTED', '农户未签署信息核对授权书');

    // 数据比对 with the departments' records (乡镇).
    const comparison = route(await signOff(p, { step: 'township.data_comparison', role: 'township', regionCode: townshipCode }));
    if (comparison === 'stop') return p.finish('REJECTED', '数据比对不符合纳入条件');
    if (comparison === 'again') continue;

    const appraisal = route(await signOff(p, { step: 'village.appraisal', role: 'village', regionCode: p.villageCode }));
    if (appraisal === 'stop') return p.finish('REJECTED', '民主评议未通过');
    if (appraisal === 'again') continue;

    // 村内公示 at least 5 days (policy; nothing shortens it), then the township review.
    const afterNotice = await noticeThenSignOff(
      p,
      { step: 'village.notice', regionCode: p.villageCode, days: p.policy.noticeDays, verifier: { role: 'township', regionCode: townshipCode } },
      { step: 'township.review', role: 'township', regionCode: townshipCode },
    );
    if (afterNotice.heard === 'end') return p.finish('ENDED_BY_OBJECTION', '公示异议成立, 程序终止');
    if (afterNotice.heard === 'return') continue;
    const township = route(afterNotice.decision);
    if (township === 'stop') return p.finish('REJECTED', '乡镇审核未通过');
    if (township === 'again') continue;

    // The county names the monitoring type and risk (data.monitoringType, data.risk).
    const county = route(await signOff(p, { step: 'county.approval', role: 'county', regionCode: countyCode }));
    if (county === 'stop') return p.finish('REJECTED', '县级审批未通过');
    if (county === 'again') continue;

    return announce(p, async () => {
      await registry.openSystemCase({ kind: 'follow_up', householdId: input.householdId!, reason: '纳入监测, 按月回访', data: { basis: 'monitored' } });
    });
  }
}

/** The 15-day clock from the first risk clue: when it runs out before the announcement, the case is late. */
async function decisionClock(p: Procedure, deadline: number): Promise<void> {
  const decided = () => p.state.status !== 'OPEN' || p.state.step === 'announcement';
  if (await waitUntil(decided, deadline)) return;
  p.markOverdue(true);
  p.markLate();
  await registry.caseLate({ caseId: p.input.caseId, deadline: new Date(deadline).toISOString() });
}
