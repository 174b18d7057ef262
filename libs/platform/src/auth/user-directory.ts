import { CommonError } from '@jingzhun/contracts';
import { Role } from '@jingzhun/domain';
import { z } from 'zod';
import { DomainException } from '../errors/domain-exception';
import type { AuthUser } from './auth-user';
import type { VerifiedToken } from './token.service';

/** Who a verified token's subject is, by the registry: null when no such user exists or they are deactivated. */
export interface UserDirectory {
  resolve(token: Extract<VerifiedToken, { kind: 'user' }>, bearer: string): Promise<AuthUser | null>;
}
export const USER_DIRECTORY = Symbol('USER_DIRECTORY');

const meSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(Role.codes),
  regionCode: z.string().regex(/^\d{12}$/),
});

/**
 * The directory of a service other than the registry: the registry's `GET /auth/me` with the
 * caller's own token, on every request (a user deactivated a moment ago is refused on the next one).
 */
export class RegistryUserDirectory implements UserDirectory {
  constructor(private readonly registryUrl: string) {}

  async resolve(_token: Extract<VerifiedToken, { kind: 'user' }>, bearer: string): Promise<AuthUser | null> {
    let res: Response;
    try {
      res = await fetch(new URL('/auth/me', this.registryUrl), {
        headers: { authorization: `Bearer ${bearer}` },
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw new DomainException(503, CommonError.RegistryUnavailable, '台账服务暂不可用, 无法核实身份, 请稍后重试');
    }
    if (res.status === 401 || res.status === 403) return null;
    if (!res.ok)
      throw new DomainException(503, CommonError.RegistryUnavailable, `台账服务暂不可用, 无法核实身份 (${res.status})`);
    const me = meSchema.safeParse(await res.json());
    return me.success ? me.data : null;
  }
}
