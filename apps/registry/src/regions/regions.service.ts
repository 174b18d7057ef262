import { Injectable } from '@nestjs/common';
import { incidence, jurisdictionPrefix, regionLevelOf } from '@jingzhun/domain';
import { notFound, withinJurisdiction, type AuthUser } from '@jingzhun/platform';
import type { Region, RegionLevel } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export interface RegionStats {
  code: string;
  ruralPopulation: number;
  poorPopulation: number;
  monitoredPopulation: number;
  /** poorPopulation ÷ ruralPopulation (fraction, 0.021 = 2.1%). */
  incidence: number;
  households: Record<string, number>;
}

@Injectable()
export class RegionsService {
  constructor(private readonly prisma: PrismaService) {}

  async list(user: AuthUser, level?: RegionLevel, parent?: string) {
    const where: { level?: RegionLevel; parentCode?: string; code?: { startsWith: string } } = {};
    if (level) where.level = level;
    if (parent) where.parentCode = parent;
    if (user.role !== 'admin') where.code = { startsWith: jurisdictionPrefix(user.regionCode) };
    const rows = await this.prisma.region.findMany({ where, orderBy: { code: 'asc' } });
    // An officer also sees the regions above their own (names for breadcrumbs), never their siblings.
    const ancestors = user.role === 'admin' || parent ? [] : await this.ancestorsOf(user.regionCode, level);
    return [...ancestors, ...rows].map(regionView);
  }

  async get(code: string) {
    const region = await this.prisma.region.findUnique({ where: { code } });
    if (!region) throw notFound('区划', code);
    return regionView(region);
  }

  /** Incidence from live registry data: active members of POOR households over rural population. */
  async stats(code: string): Promise<RegionStats> {
    const region = await this.prisma.region.findUnique({ where: { code } });
    if (!region) throw notFound('区划', code);
    const prefix = jurisdictionPrefix(code);
    const level = regionLevelOf(code);
    const [rural] = await this.prisma.$queryRaw<{ total: bigint | null }[]>`
      SELECT COALESCE(SUM(rural_population), 0) AS total FROM region
       WHERE level = 'VILLAGE' AND code LIKE ${prefix + '%'}`;
    const byStatus = await this.prisma.$queryRaw<{ status: string; households: bigint; people: bigint }[]>`
      SELECT h.status::text AS status, COUNT(DISTINCT h.id) AS households, COUNT(m.id) AS people
        FROM household h LEFT JOIN member m ON m.household_id = h.id AND m.active
       WHERE h.village_code LIKE ${prefix + '%'}
       GROUP BY h.status`;
    const people = (s: string) => Number(byStatus.find((r) => r.status === s)?.people ?? 0);
    // A village carries its own figure; higher levels add up their villages.
    const ruralPopulation = level === 'VILLAGE' ? region.ruralPopulation : Number(rural.total ?? 0);
    const poorPopulation = people('POOR');
    return {
      code,
      ruralPopulation,
      poorPopulation,
      monitoredPopulation: people('MONITORED'),
      incidence: incidence(poorPopulation, ruralPopulation),
      households: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.households)])),
    };
  }

  private async ancestorsOf(code: string, level?: RegionLevel): Promise<Region[]> {
    const codes: string[] = [];
    let c = code;
    while (true) {
      const region = await this.prisma.region.findUnique({ where: { code: c } });
      if (!region?.parentCode) break;
      codes.push(region.parentCode);
      c = region.parentCode;
    }
    if (codes.length === 0) return [];
    return this.prisma.region.findMany({ where: { code: { in: codes }, ...(level ? { level } : {}) }, orderBy: { code: 'asc' } });
  }

  canSee(user: AuthUser, code: string): boolean {
    return withinJurisdiction(user, code);
  }
}

function regionView(r: Region) {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, western: r.western, ruralPopulation: r.ruralPopulation };
}
