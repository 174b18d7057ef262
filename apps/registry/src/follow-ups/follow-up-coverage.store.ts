import { Injectable } from '@nestjs/common';
import type { Case } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** A household that needs a follow-up and has none (what the sweep starts one for). */
export interface UncoveredHousehold {
  id: string;
  number: string;
  villageCode: string;
  villageName: string;
  status: 'EXITED' | 'MONITORED';
}

/**
 * Which households need a follow-up (回访) and which follow-ups have outlived their need: every
 * MONITORED household, and every EXITED one of a county whose transition window is open. The
 * counties are given by the caller (policy decides them); the open follow-up is the case whose
 * open key is `follow_up/<household>` (unique, so at most one per household).
 */
@Injectable()
export class FollowUpCoverageStore {
  constructor(private readonly prisma: PrismaService) {}

  /** County prefixes (6 digits) of the registry's counties. */
  async counties(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<
      { code: string }[]
    >`SELECT code FROM region WHERE level = 'COUNTY' ORDER BY code`;
    return rows.map((r) => r.code);
  }

  async uncovered(openCounties: string[], limit: number): Promise<UncoveredHousehold[]> {
    const prefixes = openCounties.map((c) => c.slice(0, 6));
    return this.prisma.$queryRaw<UncoveredHousehold[]>`
      SELECT h.id::text AS id, h.number, h.village_code AS "villageCode", r.name AS "villageName", h.status::text AS status
        FROM household h JOIN region r ON r.code = h.village_code
       WHERE (h.status = 'MONITORED' OR (h.status = 'EXITED' AND left(h.village_code, 6) = ANY(${prefixes}::text[])))
         AND NOT EXISTS (SELECT 1 FROM "case" c WHERE c.open_key = 'follow_up/' || h.id::text)
       ORDER BY h.id
       LIMIT ${limit}`;
  }

  /** Open follow-ups whose household no longer needs one (returned, closed, removed, risk eliminated to a general household, window over). */
  async outlived(
    openCounties: string[],
    limit: number,
  ): Promise<(Case & { householdNumber: string; householdStatus: string })[]> {
    const prefixes = openCounties.map((c) => c.slice(0, 6));
    const rows = await this.prisma.$queryRaw<{ id: string; number: string; status: string }[]>`
      SELECT c.id::text AS id, h.number, h.status::text AS status
        FROM "case" c JOIN household h ON h.id = c.household_id
       WHERE c.kind = 'follow_up' AND c.status = 'OPEN'
         AND NOT (h.status = 'MONITORED' OR (h.status = 'EXITED' AND left(h.village_code, 6) = ANY(${prefixes}::text[])))
       LIMIT ${limit}`;
    if (rows.length === 0) return [];
    const cases = await this.prisma.case.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    const by = new Map(rows.map((r) => [r.id, r]));
    return cases.map((c) => ({ ...c, householdNumber: by.get(c.id)!.number, householdStatus: by.get(c.id)!.status }));
  }

  /** How many households need a follow-up, and how many open follow-ups there are, by status. */
  async counts(
    openCounties: string[],
    regionPrefix = '',
  ): Promise<{ needed: number; exited: number; monitored: number; live: number }> {
    const prefixes = openCounties.map((c) => c.slice(0, 6));
    const like = `${regionPrefix}%`;
    const [r] = await this.prisma.$queryRaw<{ exited: number; monitored: number; live: number }[]>`
      SELECT (SELECT count(*)::int FROM household WHERE status = 'EXITED' AND left(village_code, 6) = ANY(${prefixes}::text[]) AND village_code LIKE ${like}) AS exited,
             (SELECT count(*)::int FROM household WHERE status = 'MONITORED' AND village_code LIKE ${like}) AS monitored,
             (SELECT count(*)::int FROM "case" WHERE kind = 'follow_up' AND status = 'OPEN' AND region_code LIKE ${like}) AS live`;
    return { needed: r.exited + r.monitored, ...r };
  }

  /** Inserts the batch's cases; returns the ids actually written (a household another replica covered meanwhile is skipped: its open key is taken). */
  async createCases(tx: Tx, cases: Case[]): Promise<Set<string>> {
    await tx.case.createMany({ data: cases.map((c) => ({ ...c, data: c.data as object })), skipDuplicates: true });
    return new Set(
      (await tx.case.findMany({ where: { id: { in: cases.map((c) => c.id) } }, select: { id: true } })).map(
        (r) => r.id,
      ),
    );
  }

  /** A follow-up whose workflow could not start: closed again, so that the next sweep starts it afresh. */
  async cancelUnstarted(id: string): Promise<void> {
    await this.prisma.case.update({
      where: { id },
      data: { status: 'CANCELLED', openKey: null, outcome: '流程引擎不可用, 未能启动', closedAt: new Date() },
    });
  }
}
