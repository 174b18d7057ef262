import { Injectable } from '@nestjs/common';
import { COMPULSORY_AGES, jurisdictionPrefix, SCHOOLING_AGES, Schooling, type CleaningRule } from '@jingzhun/domain';
import { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** One finding of a rule: the household and what is wrong, in Chinese, without an ID number. */
export interface RuleFinding {
  householdId: string;
  description: string;
}

export interface RuleScope {
  countyCode: string;
  year: number;
  povertyLine: number;
  /** One household only (a re-check after a fix), or the whole county. */
  householdId?: string;
}

/**
 * 数据清洗's SQL: one statement per rule over the county's registry (households not CLOSED), and
 * the problem items they produce. The ID-number rule reads the sealed numbers and is checked in
 * Node (CleaningService); every other rule is here.
 */
@Injectable()
export class CleaningStore {
  constructor(private readonly prisma: PrismaService) {}

  private households(s: RuleScope): Prisma.Sql {
    return Prisma.sql`h.status NOT IN ('CLOSED', 'REMOVED') AND h.village_code LIKE ${`${jurisdictionPrefix(s.countyCode)}%`}${s.householdId ? Prisma.sql` AND h.id = ${s.householdId}::uuid` : Prisma.empty}`;
  }

  /** The findings of one SQL rule. */
  async run(rule: Exclude<CleaningRule, 'id_mismatch'>, s: RuleScope): Promise<RuleFinding[]> {
    const where = this.households(s);
    const sep1 = `${s.year}-09-01`;
    const latest = Prisma.sql`LEFT JOIN LATERAL (SELECT * FROM assessment x WHERE x.household_id = h.id ORDER BY x.assessed_on DESC LIMIT 1) a ON true`;
    const sql: Record<typeof rule, Prisma.Sql> = {
      head_count: Prisma.sql`
        SELECT h.id AS "householdId", '户内在册户主 ' || count(m.id) FILTER (WHERE m.relation = 'HEAD') || ' 人, 应为 1 人' AS description
          FROM household h LEFT JOIN member m ON m.household_id = h.id AND m.active
         WHERE ${where} GROUP BY h.id HAVING count(m.id) FILTER (WHERE m.relation = 'HEAD') <> 1`,
      schooling_age: Prisma.sql`
        SELECT h.id AS "householdId", string_agg(m.name || ' (' || date_part('year', age(${sep1}::date, m.birth_date))::int || ' 岁) 在校情况为 ' || COALESCE(${JSON.stringify(Schooling.labels)}::jsonb ->> m.schooling, m.schooling, '未填'), '; ') AS description
          FROM household h JOIN member m ON m.household_id = h.id AND m.active
          JOIN LATERAL (SELECT date_part('year', age(${sep1}::date, m.birth_date))::int AS y) yrs ON true
          LEFT JOIN (SELECT * FROM jsonb_each_text(${JSON.stringify(Object.fromEntries(Object.entries(SCHOOLING_AGES).map(([k, [lo, hi]]) => [k, `${lo}-${hi}`])))}::jsonb)) fit(code, span) ON fit.code = m.schooling
         WHERE ${where}
           AND ((fit.span IS NOT NULL AND (yrs.y < split_part(fit.span, '-', 1)::int OR yrs.y > split_part(fit.span, '-', 2)::int))
             OR ((m.schooling IS NULL OR m.schooling = 'NONE') AND yrs.y BETWEEN ${COMPULSORY_AGES[0]}::int AND ${COMPULSORY_AGES[1]}::int))
         GROUP BY h.id`,
      income_sum: Prisma.sql`
        SELECT h.id AS "householdId", '各项收入合计折合人均 ' || round((a.wage_income + a.business_income + a.property_income + a.transfer_income - a.production_costs)::numeric / GREATEST(h.member_count, 1)) || ' 元, 记录为 ' || h.net_income_per_head || ' 元' AS description
          FROM household h ${latest}
         WHERE ${where} AND a.id IS NOT NULL AND h.net_income_per_head IS NOT NULL
           AND abs(round((a.wage_income + a.business_income + a.property_income + a.transfer_income - a.production_costs)::numeric / GREATEST(h.member_count, 1)) - h.net_income_per_head) > 1`,
      poor_income_high: Prisma.sql`
        SELECT h.id AS "householdId", '人均纯收入 ' || h.net_income_per_head || ' 元, 超过贫困标准 ' || ${s.povertyLine}::int || ' 元的 3 倍' AS description
          FROM household h WHERE ${where} AND h.status = 'POOR' AND h.net_income_per_head > 3 * ${s.povertyLine}::int`,
      exited_need_unmet: Prisma.sql`
        SELECT h.id AS "householdId", '最近一次核实未达标: ' || concat_ws('、', CASE WHEN NOT a.food THEN '吃' END, CASE WHEN NOT a.clothing THEN '穿' END, CASE WHEN NOT a.education THEN '义务教育' END, CASE WHEN NOT a.medical THEN '基本医疗' END, CASE WHEN NOT a.housing THEN '住房安全' END, CASE WHEN NOT a.water THEN '饮水安全' END) AS description
          FROM household h ${latest}
         WHERE ${where} AND h.status = 'EXITED' AND a.id IS NOT NULL AND NOT (a.food AND a.clothing AND a.education AND a.medical AND a.housing AND a.water)`,
      no_assessment: Prisma.sql`
        SELECT h.id AS "householdId", ${`${s.year} 年没有收入与两不愁三保障核实记录`} AS description
          FROM household h WHERE ${where} AND h.status IN ('POOR', 'EXITED', 'MONITORED')
           AND NOT EXISTS (SELECT 1 FROM assessment x WHERE x.household_id = h.id AND x.year = ${s.year}::int)`,
      no_helper: Prisma.sql`
        SELECT h.id AS "householdId", '未落实帮扶责任人' AS description
          FROM household h WHERE ${where} AND h.status IN ('POOR', 'EXITED', 'MONITORED') AND h.helper_id IS NULL`,
      duplicate_person: Prisma.sql`
        SELECT h.id AS "householdId", '成员 ' || m.name || ' 与本村户 ' || string_agg(DISTINCT o.number, '、') || ' 的成员姓名、出生日期相同' AS description
          FROM household h JOIN member m ON m.household_id = h.id AND m.active
          JOIN member om ON om.active AND om.id <> m.id AND om.name = m.name AND om.birth_date = m.birth_date
          JOIN household o ON o.id = om.household_id AND o.village_code = h.village_code AND o.status NOT IN ('CLOSED', 'REMOVED')
         WHERE ${where} GROUP BY h.id, m.id, m.name, m.birth_date`,
    };
    return this.prisma.$queryRaw<RuleFinding[]>(sql[rule]);
  }

  /** The county's active members with their sealed ID numbers, for the ID-number rule (one household when given). */
  async membersForIdCheck(s: RuleScope) {
    return this.prisma.$queryRaw<
      { householdId: string; name: string; sex: string; birthDate: Date; idCipher: string }[]
    >`
      SELECT h.id AS "householdId", m.name, m.sex, m.birth_date AS "birthDate", m.id_cipher AS "idCipher"
        FROM household h JOIN member m ON m.household_id = h.id AND m.active
       WHERE ${this.households(s)}`;
  }

  /** Records the findings as problem items (a finding already on record is left as it is); returns how many are new. */
  async record(tx: Tx, caseId: string, rule: string, fixBy: string, findings: RuleFinding[]): Promise<number> {
    if (findings.length === 0) return 0;
    return tx.$executeRaw`
      INSERT INTO problem_item (id, case_id, household_id, household_number, village_code, township_code, rule, description, fix_by, updated_at)
      SELECT gen_random_uuid(), ${caseId}::uuid, h.id, h.number, h.village_code, rpad(left(h.village_code, 9), 12, '0'), ${rule}, f.description, ${fixBy}::timestamptz, now()
        FROM jsonb_to_recordset(${JSON.stringify(findings)}::jsonb) AS f("householdId" uuid, description text)
        JOIN household h ON h.id = f."householdId"
      ON CONFLICT (case_id, household_id, rule) DO NOTHING`;
  }

  async item(id: string) {
    return this.prisma.problemItem.findUnique({ where: { id } });
  }

  async update(tx: Tx, id: string, data: Prisma.ProblemItemUpdateInput) {
    return tx.problemItem.update({ where: { id }, data });
  }

  /** A township's (or the county's) items, open first, then by household number. */
  async list(caseId: string, scope: string, status?: string) {
    return this.prisma.problemItem.findMany({
      where: { caseId, villageCode: { startsWith: jurisdictionPrefix(scope) }, ...(status ? { status } : {}) },
      orderBy: [{ status: 'asc' }, { householdNumber: 'asc' }, { rule: 'asc' }],
      take: 2000,
    });
  }

  /** Items per township and status: the audit waits until no township has an OPEN or REJECTED one. */
  async countsByTownship(caseId: string): Promise<{ townshipCode: string; status: string; n: number }[]> {
    return this.prisma.$queryRaw`
      SELECT township_code AS "townshipCode", status, count(*)::int AS n FROM problem_item WHERE case_id = ${caseId}::uuid GROUP BY 1, 2 ORDER BY 1, 2`;
  }

  /** Items a township still owes: neither fixed nor explained (an explanation the county rejected is owed again). */
  async owed(caseId: string): Promise<number> {
    return this.prisma.problemItem.count({ where: { caseId, status: { in: ['OPEN', 'REJECTED'] } } });
  }

  /** The household for a province's row: by its household number, inside the county. */
  /** The county's households among these numbers, in one query (#22: one lookup per row took 27 s for 50 000). */
  async householdsByNumbers(countyCode: string, numbers: string[]): Promise<Map<string, string>> {
    if (numbers.length === 0) return new Map();
    const rows = await this.prisma.household.findMany({
      where: { number: { in: [...new Set(numbers)] }, villageCode: { startsWith: jurisdictionPrefix(countyCode) } },
      select: { id: true, number: true },
    });
    return new Map(rows.map((r) => [r.number, r.id]));
  }
}
