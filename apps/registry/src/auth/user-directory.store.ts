import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Role } from '@jingzhun/domain';
import { PG_POOL, type AuthUser, type UserDirectory, type VerifiedToken } from '@jingzhun/platform';

/**
 * The registry's own answer to "who is this token's subject": the active user with that id (dev
 * login) or with that identity-provider subject (OIDC). One indexed read per request, on the
 * service's pool (the guard runs before any module's Prisma client is in reach).
 */
@Injectable()
export class RegistryUserDirectoryStore implements UserDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async resolve(token: Extract<VerifiedToken, { kind: 'user' }>): Promise<AuthUser | null> {
    const column = token.via === 'oidc' ? 'oidc_subject' : 'id';
    const { rows } = await this.pool.query<{ id: string; name: string; role: Role; region_code: string }>(
      `SELECT id, name, role::text AS role, region_code FROM "user" WHERE ${column} = $1 AND active`,
      [token.subject],
    );
    const u = rows[0];
    return u ? { id: u.id, name: u.name, role: u.role, regionCode: u.region_code } : null;
  }
}
