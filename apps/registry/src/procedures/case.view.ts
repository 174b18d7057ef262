import type { Case } from '../generated/prisma/client';

/** A case as the API shows it in lists and on its page. */
export function caseView(c: Case) {
  return {
    id: c.id,
    kind: c.kind,
    workflowId: c.workflowId,
    householdId: c.householdId,
    regionCode: c.regionCode,
    year: c.year,
    status: c.status,
    step: c.step,
    round: c.round,
    dueAt: c.dueAt,
    reason: c.reason,
    outcome: c.outcome,
    openedBy: c.openedBy,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
  };
}
