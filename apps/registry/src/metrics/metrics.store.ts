import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

/** The aggregate queries behind the registry's gauges: counts by region code, kind and step, never a row. */
@Injectable()
export class MetricsStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Open tasks by the case's township: all, overdue, and overdue revisits. */
  tasksByTownship() {
    return this.prisma.$queryRaw<{ township: string; open: number; overdue: number; overdue_revisits: number }[]>`
      SELECT c.township_code AS township, count(*)::int AS open,
             count(*) FILTER (WHERE t.overdue AND t.step <> 'revisit')::int AS overdue,
             count(*) FILTER (WHERE t.overdue AND t.step = 'revisit')::int AS overdue_revisits
        FROM task t JOIN "case" c ON c.id = t.case_id
       WHERE t.status = 'OPEN' GROUP BY 1`;
  }

  casesInFlight() {
    return this.prisma.$queryRaw<
      { kind: string; n: number }[]
    >`SELECT kind, count(*)::int AS n FROM "case" WHERE status = 'OPEN' GROUP BY 1`;
  }

  outbox() {
    return this.prisma.$queryRaw<{ backlog: number; oldest_seconds: number | null }[]>`
      SELECT count(*)::int AS backlog, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_seconds FROM outbox WHERE published_at IS NULL`;
  }
}
