import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@jingzhun/platform';
import type { MemberMatch, RegistryMonitoringActivities, ScanFlag, ScanRules } from '@jingzhun/contracts';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { PolicyService } from './policy.service';

/**
 * What the monitoring service needs from the registry, as activities on queue `registry`: the
 * person an alert names (by keyed ID hash, never the number) and the monthly scan's flags,
 * computed in SQL where the data lives, one keyset page at a time.
 */
@Injectable()
export class MonitoringSupportActivities {
  constructor(
    private readonly prisma: PrismaService,
    private readonly policy: PolicyService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  activities(): RegistryMonitoringActivities {
    return {
      matchMember: (i) => this.matchMember(i.idHash),
      scanRisks: (i) => this.scanRisks(i.rules, i.year, i.afterId, i.limit),
    };
  }

  async matchMember(idHash: string): Promise<MemberMatch | null> {
    const m = await this.prisma.member.findFirst({ where: { activeIdHash: idHash }, include: { household: true } });
    if (!m) return null;
    return {
      householdId: m.householdId,
      memberId: m.id,
      householdNumber: m.household.number,
      villageCode: m.household.villageCode,
      status: m.household.status,
      netIncomePerHead: m.household.netIncomePerHead,
      memberCount: m.household.memberCount,
      labourCapacity: m.labourCapacity,
    };
  }

  /**
   * One page of the scan: households not registered poor and not yet monitored (EXITED, APPLICANT)
   * with id > afterId, flagged by the rules in force. Returns the flagged ones and where to go on.
   */
  async scanRisks(rules: ScanRules, year: number, afterId: string | null, limit: number): Promise<{ flags: ScanFlag[]; scanned: number; lastId: string | null }> {
    const line = (await this.policy.monitoringLine(year, '')) ?? 0;
    // Plain pg for the page (Prisma's row mapping was a third of the page's time).
    const sql = scanSql(rules, line, afterId, limit);
    const { rows } = await this.pool.query<{ id: string; number: string; village_code: string; net_income_per_head: number | null; income_below: boolean; needs_unmet: boolean; disaster: boolean; last_id: string; scanned: string }>(sql.text, sql.values as unknown[]);
    const last = rows[0];
    return {
      flags: rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          householdId: r.id,
          householdNumber: r.number,
          villageCode: r.village_code,
          netIncomePerHead: r.net_income_per_head,
          rules: [r.income_below && 'income_below_line', r.needs_unmet && 'basic_needs_unmet', r.disaster && 'disaster_in_village'].filter((x): x is string => !!x),
        })),
      scanned: last ? Number(last.scanned) : 0,
      lastId: last?.last_id ?? null,
    };
  }
}

/**
 * The scan's flags in one statement. With `limit` null it is the whole county at once: the
 * benchmark's baseline (bench/scan.bench.ts) runs exactly this, so both compute the same flags.
 */
export function scanSql(rules: ScanRules, line: number, afterId: string | null, limit: number | null): Prisma.Sql {
  const incomeFactor = rules.incomeBelowLine?.factor ?? 0;
  const disasterFactor = rules.disasterVillages?.factor ?? 0;
  const villages = rules.disasterVillages?.villages ?? [];
  const page = limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}::int`;
  return Prisma.sql`
    WITH page AS (
      SELECT h.id, h.number, h.village_code, h.net_income_per_head
        FROM household h
       WHERE h.status IN ('EXITED', 'APPLICANT') AND h.id > ${afterId ?? '00000000-0000-0000-0000-000000000000'}::uuid
       ORDER BY h.id ${page}
    ), flagged AS (
      SELECT p.*,
             (${incomeFactor}::numeric > 0 AND p.net_income_per_head IS NOT NULL AND p.net_income_per_head < ${line}::numeric * ${incomeFactor}::numeric) AS income_below,
             (${rules.basicNeedsUnmet}::boolean AND a.id IS NOT NULL AND NOT (a.food AND a.clothing AND a.education AND a.medical AND a.housing AND a.water)) AS needs_unmet,
             (p.village_code = ANY(${villages}::text[]) AND p.net_income_per_head < ${line}::numeric * ${disasterFactor}::numeric) AS disaster
        FROM page p
        LEFT JOIN LATERAL (SELECT * FROM assessment x WHERE x.household_id = p.id ORDER BY x.assessed_on DESC LIMIT 1) a ON true
    ), stats AS (SELECT max(id::text)::uuid AS last_id, count(*) AS scanned FROM page)
    SELECT f.id, f.number, f.village_code, f.net_income_per_head, f.income_below, f.needs_unmet, f.disaster, s.last_id, s.scanned
      FROM stats s LEFT JOIN flagged f ON (f.income_below OR f.needs_unmet OR f.disaster)`;
}
