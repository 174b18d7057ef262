import { CaseError, CommonError, isErrorCode } from '@jingzhun/contracts';
import { DomainException } from '@jingzhun/platform';

export interface TriageBody {
  decision: 'confirm' | 'dismiss';
  comment: string;
  monitoringType?: string;
}

/**
 * A confirmed alert starts monitoring inclusion in the registry (POST /cases) on the officer's own token,
 * so the registry checks the officer's rights and records them. Answers the case's id (an inclusion
 * already open for the household counts); any refusal is passed on with the registry's code.
 */
export async function startInclusion(
  registryUrl: string,
  a: {
    id: string;
    householdId: string | null;
    householdStatus: string | null;
    kind: string;
    department: string;
    createdAt: Date;
  },
  body: TriageBody,
  bearer: string,
): Promise<string> {
  const monitoringType =
    body.monitoringType ??
    (a.householdStatus === 'EXITED'
      ? 'UNSTABLE_EXITED'
      : a.kind === 'disaster' || a.kind === 'medical_expense'
        ? 'SUDDEN_HARDSHIP'
        : 'MARGINAL');
  let res: Response;
  try {
    res = await fetch(new URL('/cases', registryUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer },
      // The 15-day clock runs from the alert's arrival, the first risk clue.
      body: JSON.stringify({
        kind: 'monitoring_inclusion',
        householdId: a.householdId,
        reason: `部门预警 (${a.department}: ${a.kind}) 研判确认`,
        data: { trigger: 'alert', firstClueAt: a.createdAt.toISOString(), alertId: a.id, monitoringType },
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new DomainException(
      503,
      CommonError.RegistryUnavailable,
      `台账服务暂不可用, 请稍后重试 (${(err as Error).message})`,
    );
  }
  const json = (await res.json().catch(() => ({}))) as {
    id?: string;
    error?: { code: string; message: string; details?: { caseId?: string } };
  };
  if (res.ok && json.id) return json.id;
  if (res.status === 409 && json.error?.code === CaseError.CaseAlreadyOpen && json.error.details?.caseId)
    return json.error.details.caseId;
  throw new DomainException(
    res.status >= 500 ? 503 : (res.status as 400),
    isErrorCode(json.error?.code) ? json.error.code : CommonError.RegistryRefused,
    `台账服务拒绝发起纳入监测: ${json.error?.message ?? res.status}`,
  );
}
