import type { Actor } from '@jingzhun/contracts';
import { ancestorCode, isWithin } from '@jingzhun/domain';

/**
 * A person is active in at most one household. Whoever tries to register them again learns where
 * only if that household is inside their own jurisdiction; outside it, only that the person is
 * registered elsewhere (issue #8: the 409 must not disclose another county's households; a helper
 * learns no household number).
 */
export function registeredElsewhere(
  actor: Pick<Actor, 'role' | 'regionCode'>,
  household: { number: string; villageCode: string },
): string {
  const region = actor.regionCode;
  // A helper answers for the households they help only: the village's other households are not theirs to learn.
  if (actor.role === 'admin' || (actor.role !== 'helper' && isWithin(region, household.villageCode)))
    return `此人已在户 ${household.number} 登记`;
  // Below the county, no more than that the person is registered (not which county: issue #22).
  if (actor.role === 'helper' || actor.role === 'village' || actor.role === 'township') return '此人已在其他户登记';
  const sameCounty = ancestorCode(household.villageCode, 'COUNTY') === ancestorCode(region, 'COUNTY');
  return sameCounty ? '此人已在本县您管辖范围以外的户登记' : '此人已在其他县登记';
}
