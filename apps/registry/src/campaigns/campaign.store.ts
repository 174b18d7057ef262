import { Injectable } from '@nestjs/common';
import type { CampaignProgress } from '@jingzhun/contracts';
import { ancestorCode, jurisdictionPrefix } from '@jingzhun/domain';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** What defines the campaign's scope: the categories the officer picked and the lines they use. */
export interface ScopeRule {
  countyCode: string;
  year: number;
  categories: string[];
  marginalLine: number;
  /** The last day of the transition window (过渡期) as policy had it for the campaign: exited households are in scope while it is open. */
  transitionUntil: string;
}

export interface ScopeVillageRow {
  code: string;
  name: string;
  townshipCode: string;
  households: number;
  categories: string[];
}

/** The verification task's step name (逐户核查). */
export const VERIFICATION_STEP = 'campaign.verification';
/** The county's sign-off once the data is clean (the workflow's `county.audit` step). */
export const AUDIT_STEP = 'county.audit';

/**
 * 年度动态调整's SQL. The scope is one statement over live data: the village categories of the
 * county plan (incidence above 30 %, designated poor villages with no household exit in the last
 * two years, villages already exited) take every
 * household of the village; the household categories take POOR, EXITED within the transition
 * years, MONITORED, and marginal (APPLICANT below the marginal line). Tasks are opened from the same
 * statement, village batch by village batch, with one INSERT … SELECT each.
 */
@Injectable()
export class CampaignStore {
  constructor(private readonly prisma: PrismaService) {}

  /** The households in scope with their categories (a CTE; `villages` narrows it to a batch). */
  private scopeSql(r: ScopeRule, villages: string[] | null): Prisma.Sql {
    const prefix = `${jurisdictionPrefix(r.countyCode)}%`;
    const has = (c: string) => r.categories.includes(c);
    // A batch reads only its villages: the per-village counts are not recomputed for the whole county per batch.
    const villageFilter = villages ? Prisma.sql`AND r.code = ANY(${villages}::text[])` : Prisma.empty;
    const householdFilter = villages ? Prisma.sql`AND h.village_code = ANY(${villages}::text[])` : Prisma.empty;
    const recentFilter = villages ? Prisma.sql`AND village_code = ANY(${villages}::text[])` : Prisma.empty;
    return Prisma.sql`
      poor AS (
        SELECT h.village_code, count(m.id) AS n FROM household h JOIN member m ON m.household_id = h.id AND m.active
         WHERE h.status = 'POOR' AND h.village_code LIKE ${prefix} ${householdFilter} GROUP BY h.village_code
      ), recent AS (
        SELECT DISTINCT village_code FROM household
         WHERE village_code LIKE ${prefix} ${recentFilter} AND exit_year BETWEEN ${r.year - 2}::int AND ${r.year - 1}::int
      ), vc AS (
        SELECT r.code, r.name, r.parent_code, array_remove(ARRAY[
                 CASE WHEN ${has('high_incidence_villages')}::boolean AND r.rural_population > 0 AND COALESCE(poor.n, 0)::numeric / r.rural_population > 0.3 THEN 'high_incidence_villages' END,
                 CASE WHEN ${has('no_recent_exit_villages')}::boolean AND r.designated_since IS NOT NULL AND r.exit_year IS NULL AND recent.village_code IS NULL THEN 'no_recent_exit_villages' END,
                 CASE WHEN ${has('exited_villages')}::boolean AND r.exit_year IS NOT NULL THEN 'exited_villages' END], NULL) AS cats
          FROM region r LEFT JOIN poor ON poor.village_code = r.code LEFT JOIN recent ON recent.village_code = r.code
         WHERE r.level = 'VILLAGE' AND r.code LIKE ${prefix} ${villageFilter}
      ), scoped AS (
        SELECT h.id, h.village_code, h.helper_id, vc.name AS village_name, vc.parent_code AS township_code,
               vc.cats || array_remove(ARRAY[
                 CASE WHEN ${has('poor')}::boolean AND h.status = 'POOR' THEN 'poor' END,
                 CASE WHEN ${has('exited')}::boolean AND ${r.year <= Number(r.transitionUntil.slice(0, 4))}::boolean AND h.status = 'EXITED' THEN 'exited' END,
                 CASE WHEN ${has('monitored')}::boolean AND h.status = 'MONITORED' THEN 'monitored' END,
                 CASE WHEN ${has('marginal')}::boolean AND h.status = 'APPLICANT' AND h.net_income_per_head IS NOT NULL AND h.net_income_per_head < ${r.marginalLine}::int THEN 'marginal' END], NULL) AS cats
          FROM household h JOIN vc ON vc.code = h.village_code
         WHERE h.status NOT IN ('CLOSED', 'REMOVED') ${householdFilter}
      ), scope AS (SELECT * FROM scoped WHERE cardinality(cats) > 0)`;
  }

  /** The dry run: per village, its households in scope and the categories that brought them in. */
  async preview(r: ScopeRule): Promise<ScopeVillageRow[]> {
    const rows = await this.prisma.$queryRaw<
      { code: string; name: string; township_code: string; households: number; categories: string[] }[]
    >`
      WITH ${this.scopeSql(r, null)},
      per AS (SELECT village_code, village_name, township_code, count(*)::int AS households FROM scope GROUP BY 1, 2, 3),
      cats AS (SELECT village_code, array_agg(DISTINCT c ORDER BY c) AS categories FROM scope, unnest(cats) AS c GROUP BY 1)
      SELECT per.village_code AS code, per.village_name AS name, per.township_code, per.households, cats.categories
        FROM per JOIN cats USING (village_code) ORDER BY per.village_code`;
    return rows.map((x) => ({
      code: x.code,
      name: x.name,
      townshipCode: x.township_code,
      households: x.households,
      categories: x.categories,
    }));
  }

  /** Households in scope per category (a household may count under several). */
  async categoryCounts(r: ScopeRule): Promise<Record<string, number>> {
    const rows = await this.prisma.$queryRaw<{ category: string; n: number }[]>`
      WITH ${this.scopeSql(r, null)}
      SELECT c AS category, count(*)::int AS n FROM scope, unnest(cats) AS c GROUP BY c`;
    return Object.fromEntries(rows.map((x) => [x.category, x.n]));
  }

  /**
   * Opens the verification task of every household in scope in these villages, for its helper (or
   * the village's cadres when it has none), due at the end of the visit phase. Keyed per household,
   * so a retried batch opens nothing twice. Returns how many it opened and how many are in scope.
   */
  async openVerifications(
    tx: Tx,
    r: ScopeRule,
    i: { caseId: string; workflowId: string; villages: string[]; dueAt: string },
  ): Promise<{ opened: number; inScope: number }> {
    const [row] = await tx.$queryRaw<{ opened: number; in_scope: number }[]>`
      WITH ${this.scopeSql(r, i.villages)},
      ins AS (
        INSERT INTO task (id, case_id, workflow_id, key, step, role, region_code, due_at, assignee_id, household_id)
        SELECT gen_random_uuid(), ${i.caseId}::uuid, ${i.workflowId}, ${i.workflowId} || '/verify/' || s.id::text, ${VERIFICATION_STEP},
               CASE WHEN s.helper_id IS NULL THEN 'village' ELSE 'helper' END, s.village_code, ${i.dueAt}::timestamptz, s.helper_id, s.id
          FROM scope s
        ON CONFLICT (key) DO NOTHING
        RETURNING 1)
      SELECT (SELECT count(*) FROM ins)::int AS opened, (SELECT count(*) FROM scope)::int AS in_scope`;
    return { opened: row.opened, inScope: row.in_scope };
  }

  /**
   * Marks the campaign's open verification tasks at a deadline and returns the late villages with
   * their open counts (only tasks not yet marked at this stage: a retry finds none).
   */
  async markLate(
    tx: Tx,
    caseId: string,
    stage: 'reminded' | 'overdue' | 'escalated-township' | 'escalated-county',
  ): Promise<{ villageCode: string; open: number }[]> {
    const set =
      stage === 'reminded'
        ? Prisma.sql`reminded = true`
        : stage === 'overdue'
          ? Prisma.sql`overdue = true`
          : stage === 'escalated-township'
            ? Prisma.sql`escalated_role = 'township', escalated_region = rpad(left(region_code, 9), 12, '0')`
            : Prisma.sql`escalated_role = 'county', escalated_region = rpad(left(region_code, 6), 12, '0')`;
    const notYet =
      stage === 'reminded'
        ? Prisma.sql`NOT reminded`
        : stage === 'overdue'
          ? Prisma.sql`NOT overdue`
          : stage === 'escalated-township'
            ? Prisma.sql`escalated_role IS NULL`
            : Prisma.sql`escalated_role IS DISTINCT FROM 'county'`;
    return tx.$queryRaw<{ villageCode: string; open: number }[]>`
      WITH marked AS (
        UPDATE task SET ${set} WHERE case_id = ${caseId}::uuid AND step = ${VERIFICATION_STEP} AND status = 'OPEN' AND ${notYet}
        RETURNING region_code)
      SELECT region_code AS "villageCode", count(*)::int AS open FROM marked GROUP BY region_code ORDER BY region_code`;
  }

  /** Per village: households in scope (tasks opened) and verified (their task decided). */
  async progress(caseId: string): Promise<{ villageCode: string; inScope: number; verified: number }[]> {
    return this.prisma.$queryRaw`
      SELECT region_code AS "villageCode", count(*)::int AS "inScope", (count(*) FILTER (WHERE status = 'DECIDED'))::int AS verified
        FROM task WHERE case_id = ${caseId}::uuid AND step = ${VERIFICATION_STEP}
       GROUP BY region_code ORDER BY region_code`;
  }

  /** The campaign's progress from live data: per village, and the cases its verifications opened by kind. */
  async progressOf(caseId: string): Promise<CampaignProgress> {
    const [villages, cases] = await Promise.all([this.progress(caseId), this.casesOpened(caseId)]);
    const casesByKind: Record<string, number> = {};
    for (const row of cases) casesByKind[row.kind] = (casesByKind[row.kind] ?? 0) + row.n;
    const inScope = villages.reduce((n, v) => n + v.inScope, 0);
    return {
      inScope,
      opened: inScope,
      verified: villages.reduce((n, v) => n + v.verified, 0),
      villages: villages.map((v) => ({ ...v, townshipCode: ancestorCode(v.villageCode, 'TOWNSHIP') })),
      casesByKind,
    };
  }

  /** Cases the campaign's verifications opened, by kind and status. */
  async casesOpened(caseId: string): Promise<{ kind: string; status: string; n: number }[]> {
    return this.prisma.$queryRaw`
      SELECT c.kind, c.status::text AS status, count(*)::int AS n
        FROM "case" c WHERE c.data->>'campaignCaseId' = ${caseId} GROUP BY c.kind, c.status ORDER BY c.kind, c.status`;
  }

  /** The county's open audit sign-off (县级审核) of the campaign, if the workflow opened it. */
  async openAudit(caseId: string): Promise<{ id: string; dueAt: Date; createdAt: Date } | null> {
    return this.prisma.task.findFirst({
      where: { caseId, step: AUDIT_STEP, status: 'OPEN' },
      select: { id: true, dueAt: true, createdAt: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Withdraws the campaign's open tasks; returns how many. */
  async withdrawOpen(tx: Tx, caseId: string): Promise<number> {
    return tx.$executeRaw`
      UPDATE task SET status = 'CANCELLED', decision = 'cancelled', comment = '年度动态调整已撤销', decided_at = now()
       WHERE case_id = ${caseId}::uuid AND status = 'OPEN' AND step = ${VERIFICATION_STEP}`;
  }

  async setCaseData(tx: Tx, caseId: string, patch: Record<string, unknown>): Promise<void> {
    await tx.$executeRaw`UPDATE "case" SET data = data || ${JSON.stringify(patch)}::jsonb, updated_at = now() WHERE id = ${caseId}::uuid`;
  }
}
