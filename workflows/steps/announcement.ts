import type { CaseState } from '@jingzhun/contracts/src/workflow';
import { registry, type Procedure } from './procedure';

/**
 * 公告: recorded at the approving level. The registry changes only here, in the same activity
 * (one transaction) that writes the audit entry, after the preconditions are checked again.
 * `then` runs once the change is applied (the follow-up an exit or a monitoring inclusion starts).
 */
export async function announce(p: Procedure, then?: () => Promise<void>): Promise<CaseState> {
  await p.enterStep('announcement', null, { acknowledge: false });
  const approval = Object.values(p.decisionData).at(-1);
  const result = await registry.announce({
    caseId: p.input.caseId,
    actor: null,
    decisions: { ...p.decisionData, approval: approval ?? {} },
  });
  if (!result.applied) return p.finish('REFUSED', `公告前复核未通过: ${result.obstacles.join('; ')}`);
  if (then) await then();
  return p.finish('COMPLETED', '已公告, 台账已更新');
}
