import type { HouseholdStatus, RemovalReason } from './enums';

/**
 * 清退 (DESIGN.md "The registry's life cycle"): who may be removed for which reason, and what the
 * announcement makes of the household. 错退 is corrected, not removed: a household exited while
 * still below the standard goes back to POOR (纠正错退), its exit year cleared. Every other reason
 * takes the household out of the registry as REMOVED, its history kept and its members freed to be
 * registered again (a person wrongly registered may later apply as anyone else).
 */
export function removalObstacles(status: HouseholdStatus, reason: RemovalReason | undefined): string[] {
  if (status === 'APPLICANT') return ['申请中的户尚未纳入台账, 无需清退'];
  if (status === 'CLOSED') return ['该户已销户'];
  if (status === 'REMOVED') return ['该户已清退'];
  if (reason === 'WRONGLY_EXITED' && status !== 'EXITED') return [`错退只适用于已脱贫户, 该户状态为 ${status}`];
  return [];
}

export function removalOutcome(reason: RemovalReason): 'REMOVED' | 'POOR' {
  return reason === 'WRONGLY_EXITED' ? 'POOR' : 'REMOVED';
}
