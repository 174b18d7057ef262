import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

/**
 * The dashboard's SQL: live aggregates over one jurisdiction (code prefix), grouped by the areas one
 * level below it. Each figure is what the matching list would count: households by status as
 * GET /households?status= counts them, overdue tasks as the inbox's `overdue` flag, poor people as
 * GET /regions/:code/stats.
 */
@Injectable()
export class DashboardStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Households per area and status; `areaLength` digits of the village code name the area. */
  householdsByArea(prefix: string, areaLength: number) {
    return this.prisma.$queryRaw<{ area: string; status: string; n: number }[]>`
      SELECT rpad(left(village_code, ${areaLength}), 12, '0') AS area, status::text AS status, count(*)::int AS n
        FROM household WHERE village_code LIKE ${`${prefix}%`} GROUP BY 1, 2`;
  }

  /** Open overdue tasks per area: procedure steps and revisits (follow-up) apart. */
  overdueByArea(prefix: string, areaLength: number) {
    return this.prisma.$queryRaw<{ area: string; revisit: boolean; n: number }[]>`
      SELECT rpad(left(c.region_code, ${areaLength}), 12, '0') AS area, (c.kind = 'follow_up') AS revisit, count(*)::int AS n
        FROM task t JOIN "case" c ON c.id = t.case_id
       WHERE t.status = 'OPEN' AND t.overdue AND c.region_code LIKE ${`${prefix}%`}
       GROUP BY 1, 2`;
  }

  openTasks(prefix: string) {
    return this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM task t JOIN "case" c ON c.id = t.case_id WHERE t.status = 'OPEN' AND c.region_code LIKE ${`${prefix}%`}`;
  }

  /** Every village of the jurisdiction with its poor population (active members of POOR households). */
  villages(prefix: string) {
    return this.prisma.$queryRaw<
      { code: string; name: string; rural_population: number; western: boolean; poor: number }[]
    >`
      SELECT r.code, r.name, r.rural_population, r.western,
             COALESCE((SELECT count(*) FROM household h JOIN member m ON m.household_id = h.id AND m.active
                        WHERE h.village_code = r.code AND h.status = 'POOR'), 0)::int AS poor
        FROM region r WHERE r.level = 'VILLAGE' AND r.code LIKE ${`${prefix}%`} ORDER BY r.code`;
  }

  /** Procedures in flight by kind and current step (revisits are counted as overdue revisits instead). */
  casesInFlight(prefix: string) {
    return this.prisma.$queryRaw<{ kind: string; step: string; n: number }[]>`
      SELECT kind, step, count(*)::int AS n FROM "case"
       WHERE status = 'OPEN' AND kind <> 'follow_up' AND region_code LIKE ${`${prefix}%`} GROUP BY 1, 2 ORDER BY 1, 2`;
  }

  areas(codes: string[]) {
    return this.prisma.region.findMany({
      where: { code: { in: codes } },
      select: { code: true, name: true },
      orderBy: { code: 'asc' },
    });
  }

  childrenOf(code: string | null) {
    return this.prisma.region.findMany({
      where: code ? { parentCode: code } : { level: 'COUNTY' },
      select: { code: true, name: true },
      orderBy: { code: 'asc' },
    });
  }
}
