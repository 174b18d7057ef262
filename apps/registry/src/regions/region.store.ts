import { Injectable } from '@nestjs/common';
import type { Region, RegionLevel } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** Administrative regions (county → township → village) and the live counts under them. */
@Injectable()
export class RegionStore {
  constructor(private readonly prisma: PrismaService) {}

  find(code: string, db: Pick<Tx, 'region'> = this.prisma): Promise<Region | null> {
    return db.region.findUnique({ where: { code } });
  }

  findOrThrow(code: string, db: Pick<Tx, 'region'> = this.prisma): Promise<Region> {
    return db.region.findUniqueOrThrow({ where: { code } });
  }

  /** The province codes (12 digits) of every region in the registry. */
  async provinces(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<
      { p: string }[]
    >`SELECT DISTINCT left(code, 2) AS p FROM region ORDER BY 1`;
    return rows.map((r) => r.p.padEnd(12, '0'));
  }

  async name(code: string): Promise<string | null> {
    return (await this.prisma.region.findUnique({ where: { code }, select: { name: true } }))?.name ?? null;
  }

  /** Names of these regions, by code (lists show names beside codes). */
  async names(codes: string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.prisma.region.findMany({
      where: { code: { in: [...new Set(codes)] } },
      select: { code: true, name: true },
    });
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  list(where: {
    level?: RegionLevel;
    parentCode?: string;
    code?: { startsWith: string } | { in: string[] };
  }): Promise<Region[]> {
    return this.prisma.region.findMany({ where, orderBy: { code: 'asc' } });
  }

  /** The villages' rural population under a code prefix. */
  async ruralPopulationUnder(prefix: string): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ total: bigint | null }[]>`
      SELECT COALESCE(SUM(rural_population), 0) AS total FROM region
       WHERE level = 'VILLAGE' AND code LIKE ${`${prefix}%`}`;
    return Number(row?.total ?? 0);
  }

  /** Households and their active members under a code prefix, by household status. */
  async householdsByStatus(prefix: string): Promise<{ status: string; households: number; people: number }[]> {
    const rows = await this.prisma.$queryRaw<{ status: string; households: bigint; people: bigint }[]>`
      SELECT h.status::text AS status, COUNT(DISTINCT h.id) AS households, COUNT(m.id) AS people
        FROM household h LEFT JOIN member m ON m.household_id = h.id AND m.active
       WHERE h.village_code LIKE ${`${prefix}%`}
       GROUP BY h.status`;
    return rows.map((r) => ({ status: r.status, households: Number(r.households), people: Number(r.people) }));
  }

  /** Active members of the village's POOR households (the numerator of its incidence). */
  async poorPeopleIn(tx: Tx, villageCode: string): Promise<number> {
    const rows = await tx.$queryRaw<{ poor: bigint }[]>`
      SELECT count(m.id) AS poor FROM household h JOIN member m ON m.household_id = h.id AND m.active
       WHERE h.village_code = ${villageCode} AND h.status = 'POOR'`;
    return Number(rows[0]?.poor ?? 0);
  }

  /** 贫困村 designation of a village (null: withdrawn); returns the year it had before. */
  async setDesignation(tx: Tx, code: string, designatedSince: number | null): Promise<number | null> {
    const before = await tx.region.findUniqueOrThrow({ where: { code }, select: { designatedSince: true } });
    if (before.designatedSince !== designatedSince)
      await tx.region.update({ where: { code }, data: { designatedSince } });
    return before.designatedSince;
  }

  /** 贫困村退出's announcement: the village's exit year; returns the region as it was. */
  async markExited(tx: Tx, code: string, year: number): Promise<Region> {
    const before = await tx.region.findUniqueOrThrow({ where: { code } });
    await tx.region.update({ where: { code }, data: { exitYear: year } });
    return before;
  }
}
