import { Injectable } from '@nestjs/common';
import { incidence, jurisdictionPrefix, regionLevelOf } from '@jingzhun/domain';
import { notFound, withinJurisdiction, type AuthUser } from '@jingzhun/platform';
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
  constructor(private readonly store: RegionStore) {}

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
    const ruralPopulation = level === 'VILLAGE' ? region.ruralPopulation : await this.store.ruralPopulationUnder(prefix);
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

  canSee(user: AuthUser, code: string): boolean {
    return withinJurisdiction(user, code);
  }
}

function regionView(r: Region) {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, western: r.western, ruralPopulation: r.ruralPopulation };
}
