import { Injectable } from '@nestjs/common';
import { jurisdictionPrefix } from '@jingzhun/domain';
import { PrismaService } from '../prisma/prisma.service';

/** 工作总结's figures for a region (a township, or the county), each one count of registry rows. */
export interface SummaryFigures {
  regionCode: string;
  householdsInScope: number;
  householdsVerified: number;
  peopleVerified: number;
  /** Cases of the year completed (announced) in the region, by kind: exit, identification, return, monitoring_inclusion, risk_elimination, member_change. */
  completed: Record<string, number>;
  /** Cases of the year still open, by kind. */
  open: Record<string, number>;
  membersAdded: Record<string, number>;
  membersRemoved: Record<string, number>;
  problems: { found: number; fixed: number; explained: number; open: number };
}

/**
 * The summary's SQL. Each figure is the count the matching list gives: cases by kind and status
 * (GET /cases), verification tasks and their records, members added and removed by the audit's
 * reason, problem items by status (GET /campaigns/:id/problems).
 */
@Injectable()
export class SummaryStore {
  constructor(private readonly prisma: PrismaService) {}

  async figures(caseId: string, year: number, regionCode: string): Promise<SummaryFigures> {
    const prefix = `${jurisdictionPrefix(regionCode)}%`;
    const [scope] = await this.prisma.$queryRaw<{ in_scope: number; verified: number; people: number }[]>`
      SELECT count(*)::int AS in_scope, (count(*) FILTER (WHERE t.status = 'DECIDED'))::int AS verified,
             COALESCE(sum(h.member_count) FILTER (WHERE t.status = 'DECIDED'), 0)::int AS people
        FROM task t JOIN household h ON h.id = t.household_id
       WHERE t.case_id = ${caseId}::uuid AND t.step = 'campaign.verification' AND t.region_code LIKE ${prefix}`;
    const cases = await this.prisma.$queryRaw<{ kind: string; status: string; n: number }[]>`
      SELECT kind, status::text AS status, count(*)::int AS n FROM "case"
       WHERE year = ${year}::int AND region_code LIKE ${prefix} AND kind NOT IN ('annual_adjustment', 'follow_up')
       GROUP BY 1, 2`;
    const members = await this.prisma.$queryRaw<{ action: string; reason: string; n: number }[]>`
      SELECT a.action, COALESCE(a.after->>'reason', '未注明') AS reason, count(*)::int AS n
        FROM audit a JOIN household h ON h.id = a.household_id
       WHERE a.action IN ('member.added', 'member.left') AND h.village_code LIKE ${prefix}
         AND a.at >= make_date(${year}::int, 1, 1) AND a.at < make_date(${year}::int + 1, 1, 1)
       GROUP BY 1, 2`;
    const [problems] = await this.prisma.$queryRaw<{ found: number; fixed: number; explained: number; open: number }[]>`
      SELECT count(*)::int AS found, (count(*) FILTER (WHERE status = 'FIXED'))::int AS fixed,
             (count(*) FILTER (WHERE status = 'ACCEPTED'))::int AS explained,
             (count(*) FILTER (WHERE status IN ('OPEN', 'REJECTED', 'EXPLAINED')))::int AS open
        FROM problem_item WHERE case_id = ${caseId}::uuid AND village_code LIKE ${prefix}`;
    const by = (rows: { kind: string; status: string; n: number }[], pick: (s: string) => boolean) => {
      const out: Record<string, number> = {};
      for (const r of rows) if (pick(r.status)) out[r.kind] = (out[r.kind] ?? 0) + r.n;
      return out;
    };
    const reasons = (action: string) =>
      Object.fromEntries(members.filter((m) => m.action === action).map((m) => [m.reason, m.n]));
    return {
      regionCode,
      householdsInScope: scope.in_scope,
      householdsVerified: scope.verified,
      peopleVerified: scope.people,
      completed: by(cases, (s) => s === 'COMPLETED'),
      open: by(cases, (s) => s === 'OPEN'),
      membersAdded: reasons('member.added'),
      membersRemoved: reasons('member.left'),
      problems,
    };
  }

  /** The townships of the county that the campaign's scope touches. */
  async townships(caseId: string): Promise<{ code: string; name: string }[]> {
    return this.prisma.$queryRaw`
      SELECT DISTINCT r.code, r.name FROM task t JOIN region r ON r.code = rpad(left(t.region_code, 9), 12, '0')
       WHERE t.case_id = ${caseId}::uuid AND t.step = 'campaign.verification' ORDER BY r.code`;
  }
}
