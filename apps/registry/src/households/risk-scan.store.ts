import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@jingzhun/platform';
import type { ScanRules } from '@jingzhun/contracts';
import { Prisma } from '../generated/prisma/client';

export interface ScanRow {
  id: string;
  number: string;
  village_code: string;
  net_income_per_head: number | null;
  income_below: boolean;
  needs_unmet: boolean;
  disaster: boolean;
  last_id: string;
  scanned: string;
}

/**
 * The monthly risk scan's reads (纳入监测 candidates): one keyset page of households flagged by the
 * rules in force. Plain pg, not Prisma: Prisma's row mapping was a third of the page's time.
 */
@Injectable()
export class RiskScanStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The page after `afterId`: its flagged households, plus (on every row) the page's last id and size; one row with a null id when none is flagged. */
  async page(rules: ScanRules, lines: MonitoringLines, afterId: string | null, limit: number): Promise<ScanRow[]> {
    const sql = scanSql(rules, lines, afterId, limit);
    return (await this.pool.query<ScanRow>(sql.text, sql.values as unknown[])).rows;
  }
}

/** The year's monitoring line of each province (2-digit code → yuan per head): one line, per province (RULES.md row 8a). */
export type MonitoringLines = Record<string, number>;

/**
 * The scan's flags in one statement. With `limit` null it is the whole county at once: the
 * benchmark's baseline (bench/scan.bench.ts) runs exactly this, so both compute the same flags.
 */
export function scanSql(
  rules: ScanRules,
  lines: MonitoringLines,
  afterId: string | null,
  limit: number | null,
): Prisma.Sql {
  const incomeFactor = rules.incomeBelowLine?.factor ?? 0;
  const disasterFactor = rules.disasterVillages?.factor ?? 0;
  const villages = rules.disasterVillages?.villages ?? [];
  const page = limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}::int`;
  return Prisma.sql`
    WITH page AS (
      SELECT h.id, h.number, h.village_code, h.net_income_per_head, (${JSON.stringify(lines)}::jsonb ->> left(h.village_code, 2))::numeric AS line
        FROM household h
       WHERE h.status IN ('EXITED', 'APPLICANT') AND h.id > ${afterId ?? '00000000-0000-0000-0000-000000000000'}::uuid
       ORDER BY h.id ${page}
    ), flagged AS (
      SELECT p.*,
             (${incomeFactor}::numeric > 0 AND p.net_income_per_head IS NOT NULL AND p.net_income_per_head < p.line * ${incomeFactor}::numeric) AS income_below,
             (${rules.basicNeedsUnmet}::boolean AND a.id IS NOT NULL AND NOT (a.food AND a.clothing AND a.education AND a.medical AND a.housing AND a.water)) AS needs_unmet,
             (p.village_code = ANY(${villages}::text[]) AND p.net_income_per_head < p.line * ${disasterFactor}::numeric) AS disaster
        FROM page p
        LEFT JOIN LATERAL (SELECT * FROM assessment x WHERE x.household_id = p.id ORDER BY x.assessed_on DESC LIMIT 1) a ON true
    ), stats AS (SELECT max(id::text)::uuid AS last_id, count(*) AS scanned FROM page)
    SELECT f.id, f.number, f.village_code, f.net_income_per_head, f.income_below, f.needs_unmet, f.disaster, s.last_id, s.scanned
      FROM stats s LEFT JOIN flagged f ON (f.income_below OR f.needs_unmet OR f.disaster)`;
}
