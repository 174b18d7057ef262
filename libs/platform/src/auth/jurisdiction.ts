import { isWithin } from '@jingzhun/domain';
import { DomainException } from '../errors/domain-exception';
import type { AuthUser } from './auth-user';

export function withinJurisdiction(user: AuthUser, regionCode: string): boolean {
  return user.role === 'admin' || isWithin(user.regionCode, regionCode);
}

export function assertJurisdiction(user: AuthUser, regionCode: string): void {
  if (!withinJurisdiction(user, regionCode)) {
    throw new DomainException(403, 'OUTSIDE_JURISDICTION', `区划 ${regionCode} 不在您的管辖范围 (${user.regionCode}) 内`);
  }
}
