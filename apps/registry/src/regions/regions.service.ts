import { CommonError } from '@jingzhun/contracts';
import { Injectable } from '@nestjs/common';
import { incidence, jurisdictionPrefix, regionLevelOf } from '@jingzhun/domain';
import { forbidden, invalid, notFound, withinJurisdiction, type AuthUser } from '@jingzhun/platform';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import type { Region, RegionLevel } from '../generated/prisma/client';
import { RegionStore } from './region.store';

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
  constructor(
    private readonly store: RegionStore,
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
  ) {}

  async list(user: AuthUser, level?: RegionLevel, parent?: string) {
    const where: { level?: RegionLevel; parentCode?: string; code?: { startsWith: string } } = {};
    if (level) where.level = level;
    if (parent) where.parentCode = parent;
    if (user.role !== 'admin') where.code = { startsWith: jurisdictionPrefix(user.regionCode) };
    const rows = await this.store.list(where);
    // An officer also sees the regions above their own (names for breadcrumbs), never their siblings.
    const ancestors = user.role === 'admin' || parent ? [] : await this.ancestorsOf(user.regionCode, level);
    return [...ancestors, ...rows].map(regionView);
  }

  async get(code: string) {
    const region = await this.store.find(code);
    if (!region) throw notFound('区划', code);
    return regionView(region);
  }

  /** Incidence from live registry data: active members of POOR households over rural population. */
  async stats(code: string): Promise<RegionStats> {
    const region = await this.store.find(code);
    if (!region) throw notFound('区划', code);
    const prefix = jurisdictionPrefix(code);
    const level = regionLevelOf(code);
    const byStatus = await this.store.householdsByStatus(prefix);
    const people = (s: string) => byStatus.find((r) => r.status === s)?.people ?? 0;
    // A village carries its own figure; higher levels add up their villages.
    const ruralPopulation =
      level === 'VILLAGE' ? region.ruralPopulation : await this.store.ruralPopulationUnder(prefix);
    const poorPopulation = people('POOR');
    return {
      code,
      ruralPopulation,
      poorPopulation,
      monitoredPopulation: people('MONITORED'),
      incidence: incidence(poorPopulation, ruralPopulation),
      households: Object.fromEntries(byStatus.map((r) => [r.status, r.households])),
    };
  }

  private async ancestorsOf(code: string, level?: RegionLevel): Promise<Region[]> {
    const codes: string[] = [];
    let c = code;
    while (true) {
      const region = await this.store.find(c);
      if (!region?.parentCode) break;
      codes.push(region.parentCode);
      c = region.parentCode;
    }
    if (codes.length === 0) return [];
    return this.store.list({ code: { in: codes }, ...(level ? { level } : {}) });
  }

  /**
   * 贫困村 designations from the county's list (or an admin's correction): each village's year of
   * designation, or null to withdraw it; every change audited with the reason. All or nothing: a
   * code that is not a village of the caller's jurisdiction refuses the whole list, naming its row.
   */
  async setDesignations(
    user: AuthUser,
    input: { villages: { code: string; designatedSince: number | null }[]; reason: string },
  ) {
    const found = await this.store.list({ code: { in: input.villages.map((v) => v.code) } });
    input.villages.forEach((v, i) => {
      const r = found.find((x) => x.code === v.code);
      if (r?.level !== 'VILLAGE') throw invalid(`villages.${i}.code`, `行政村 ${v.code} 不存在`);
      if (!withinJurisdiction(user, v.code))
        throw forbidden(CommonError.OutsideJurisdiction, `villages.${i}.code: ${r.name} 不在您的辖区`);
    });
    let updated = 0;
    await this.prisma.$transaction(async (tx) => {
      for (const v of input.villages) {
        const before = await this.store.setDesignation(tx, v.code, v.designatedSince);
        if (before === v.designatedSince) continue;
        updated++;
        await this.journal.record(tx, user, {
          action: 'region.designation',
          entity: 'region',
          entityId: v.code,
          regionCode: v.code,
          before: { designatedSince: before },
          after: { designatedSince: v.designatedSince, reason: input.reason },
        });
      }
    });
    return { updated, unchanged: input.villages.length - updated };
  }

  canSee(user: AuthUser, code: string): boolean {
    return withinJurisdiction(user, code);
  }
}

function regionView(r: Region) {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parentCode,
    western: r.western,
    ruralPopulation: r.ruralPopulation,
    designatedSince: r.designatedSince,
    exitYear: r.exitYear,
  };
}
