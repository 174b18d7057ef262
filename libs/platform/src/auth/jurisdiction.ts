import { CommonError } from '@jingzhun/contracts';
import { isWithin } from '@jingzhun/domain';
import { DomainException } from '../errors/domain-exception';
import type { AuthUser } from './auth-user';

export function withinJurisdiction(user: AuthUser, regionCode: string): boolean {
  return user.role === 'admin' || isWithin(user.regionCode, regionCode);
}

export function assertJurisdiction(user: AuthUser, regionCode: string): void {
  if (!withinJurisdiction(user, regionCode)) {
    // Names nothing: the region may be a household's or a task's the caller should not learn about.
    throw new DomainException(403, CommonError.OutsideJurisdiction, '不在您的管辖范围内');
  }
}
