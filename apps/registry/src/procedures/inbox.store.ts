import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import type { TaskListQuery } from './procedure.schemas';

interface Who {
  id: string;
  role: string;
  regionCode: string;
}

/**
 * The inbox's SQL. Two index-ordered halves — tasks of my role at my region (index
 * status, role, region_code, due_at) and tasks escalated to me (status, escalated_role,
 * escalated_region, due_at) — each read in due order and cut at offset + page size, then merged.
 * An OR in one query would fetch every open task of the region and sort them. Filters on the
 * case (kind, village) join per row; they do not change the index that orders the scan.
 * A helper's inbox is the revisits assigned to them (index status, assignee_id, due_at).
 */
@Injectable()
export class InboxStore {
  constructor(private readonly prisma: PrismaService) {}

  private halves(who: Who, q: TaskListQuery): Prisma.Sql[] {
    const caseFilter = q.kind || q.villageCode;
    const join = caseFilter ? Prisma.sql`JOIN "case" c ON c.id = t.case_id` : Prisma.empty;
    const extra: Prisma.Sql[] = [];
    if (q.kind) extra.push(Prisma.sql`c.kind = ${q.kind}`);
    // A campaign's verification task is at its household's village; a procedure's, at its case's.
    if (q.villageCode) extra.push(Prisma.sql`(c.region_code = ${q.villageCode} OR t.region_code = ${q.villageCode})`);
    if (q.step) extra.push(Prisma.sql`t.step = ${q.step}`);
    if (q.overdue === 'true') extra.push(Prisma.sql`t.overdue`);
    if (q.overdue === 'false') extra.push(Prisma.sql`NOT t.overdue`);
    const and = extra.length ? Prisma.sql` AND ${Prisma.join(extra, ' AND ')}` : Prisma.empty;
    if (who.role === 'helper')
      return [Prisma.sql`FROM task t ${join} WHERE t.status = 'OPEN' AND t.assignee_id = ${who.id}${and}`];
    return [
      Prisma.sql`FROM task t ${join} WHERE t.status = 'OPEN' AND t.role = ${who.role} AND t.region_code = ${who.regionCode}${and}`,
      Prisma.sql`FROM task t ${join} WHERE t.status = 'OPEN' AND t.escalated_role = ${who.role} AND t.escalated_region = ${who.regionCode}${and}`,
    ];
  }

  /** One page of my open task ids, oldest due first. */
  async page(who: Who, q: TaskListQuery): Promise<string[]> {
    const offset = (q.page - 1) * q.pageSize;
    const cut = offset + q.pageSize;
    const parts = this.halves(who, q).map(
      (from) => Prisma.sql`(SELECT t.id, t.due_at ${from} ORDER BY t.due_at, t.id LIMIT ${cut})`,
    );
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM (${Prisma.join(parts, ' UNION ALL ')}) t ORDER BY due_at, id LIMIT ${q.pageSize} OFFSET ${offset}`;
    return rows.map((r) => r.id);
  }

  /** How many open tasks the same filters give (the inbox's total, the dashboard's "mine"). */
  async count(who: Who, q: TaskListQuery): Promise<number> {
    const counts = await Promise.all(
      this.halves(who, q).map((from) => this.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n ${from}`),
    );
    return counts.reduce((sum, r) => sum + r[0].n, 0);
  }

  /** The page's tasks with what the inbox shows of their case, household and village. */
  async hydrate(ids: string[]) {
    const rows = await this.prisma.task.findMany({
      where: { id: { in: ids } },
      include: { case: { select: { kind: true, householdId: true, regionCode: true, reason: true } } },
    });
    const householdIds = [
      ...new Set(rows.map((t) => t.householdId ?? t.case.householdId).filter((h): h is string => !!h)),
    ];
    const [households, regions] = await Promise.all([
      this.prisma.household.findMany({
        where: { id: { in: householdIds } },
        select: { id: true, number: true, headName: true },
      }),
      this.prisma.region.findMany({
        where: { code: { in: [...new Set(rows.flatMap((t) => [t.case.regionCode, t.regionCode]))] } },
        select: { code: true, name: true },
      }),
    ]);
    const byId = new Map(rows.map((t) => [t.id, t]));
    return {
      tasks: ids.map((id) => byId.get(id)!).filter(Boolean),
      household: new Map(households.map((h) => [h.id, h])),
      regionName: new Map(regions.map((r) => [r.code, r.name])),
    };
  }
}
