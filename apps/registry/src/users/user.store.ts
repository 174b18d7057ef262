import { Injectable } from '@nestjs/common';
import { jurisdictionPrefix } from '@jingzhun/domain';
import type { Role } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** The registry's users (officers, cadres, helpers, departments): every query of them, through Prisma. */
@Injectable()
export class UserStore {
  constructor(private readonly prisma: PrismaService) {}

  find(id: string, tx: Tx = this.prisma) {
    return tx.user.findUnique({ where: { id } });
  }

  /** The user's sign-in state: active or not, and the identity-provider subject they sign in as. */
  /** Whether the user is an active helper of exactly this village. */
  async isVillageHelper(id: string, villageCode: string, tx: Tx = this.prisma): Promise<boolean> {
    return (await tx.user.count({ where: { id, role: 'helper', active: true, regionCode: villageCode } })) > 0;
  }

  update(tx: Tx, id: string, data: { active?: boolean; oidcSubject?: string | null }) {
    return tx.user.update({ where: { id }, data });
  }

  /** Who else signs in as this identity-provider subject, if anyone. */
  findBySubject(tx: Tx, oidcSubject: string) {
    return tx.user.findUnique({ where: { oidcSubject } });
  }

  /** Users of a role inside a region (all when no scope), by region then id; at most 1 000. */
  list(q: { role?: Role; scope?: string }) {
    return this.prisma.user.findMany({
      where: {
        ...(q.role ? { role: q.role } : {}),
        ...(q.scope ? { regionCode: { startsWith: jurisdictionPrefix(q.scope) } } : {}),
      },
      orderBy: [{ regionCode: 'asc' }, { id: 'asc' }],
      take: 1000,
    });
  }

  /** The dev login page's users: the first `perRole` active users of each role (departments log in by key, not here). */
  async firstOfEachRole(perRole: number) {
    const rows = await this.prisma.$queryRaw<
      { id: string; name: string; role: string; region_code: string; region_name: string }[]
    >`
      SELECT id, name, role::text, region_code, region_name FROM (
        SELECT u.id, u.name, u.role, u.region_code, r.name AS region_name,
               row_number() OVER (PARTITION BY u.role ORDER BY u.region_code, u.id) AS n
          FROM "user" u JOIN region r ON r.code = u.region_code
         WHERE u.active AND u.role <> 'department') x
       WHERE n <= ${perRole} ORDER BY role, region_code, id`;
    return rows.map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      regionCode: u.region_code,
      regionName: u.region_name,
    }));
  }

  /**
   * The active helper of the village itself (its exact code: a trimmed prefix would reach another
   * village, township or county) with the fewest households, if any.
   */
  async leastLoadedHelper(tx: Tx, villageCode: string): Promise<string | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT u.id FROM "user" u LEFT JOIN household h ON h.helper_id = u.id
       WHERE u.role = 'helper' AND u.active AND u.region_code = ${villageCode}
       GROUP BY u.id ORDER BY count(h.id), u.id LIMIT 1`;
    return rows[0]?.id ?? null;
  }
}
