/** An alert as the API answers it (no ID hash; the masked number only). */
export function alertView(a: {
  id: string;
  department: string;
  externalId: string;
  kind: string;
  idMasked: string | null;
  regionCode: string | null;
  occurredAt: Date;
  amount: number | null;
  status: string;
  householdId: string | null;
  householdNumber: string | null;
  ruleHits: unknown;
  risky: boolean;
  triagedBy: string | null;
  triagedAt: Date | null;
  triageComment: string | null;
  caseId: string | null;
  createdAt: Date;
  receivedVia: string;
}) {
  return {
    id: a.id,
    department: a.department,
    externalId: a.externalId,
    kind: a.kind,
    idMasked: a.idMasked,
    regionCode: a.regionCode,
    occurredAt: a.occurredAt,
    amount: a.amount,
    status: a.status,
    householdId: a.householdId,
    householdNumber: a.householdNumber,
    ruleHits: a.ruleHits,
    risky: a.risky,
    receivedVia: a.receivedVia,
    triage: a.triagedBy ? { by: a.triagedBy, at: a.triagedAt, comment: a.triageComment, caseId: a.caseId } : null,
    createdAt: a.createdAt,
  };
}
