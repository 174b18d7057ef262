import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';

export interface NewAnnouncement {
  caseId: string;
  countyCode: string;
  regionCode: string;
  kind: string;
  year: number;
  title: string;
  body: string;
  publishedAt: Date;
}

/** 公告 records: numbered per county and year in the announcing transaction, listed and printed. */
@Injectable()
export class AnnouncementStore {
  constructor(private readonly prisma: PrismaService) {}

  /** The next number of the county's year (the county's announcements take turns on a transaction lock). */
  async nextSeq(tx: Tx, countyCode: string, year: number): Promise<number> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`announcement/${countyCode}/${year}`}))`;
    const [r] = await tx.$queryRaw<
      { seq: number }[]
    >`SELECT COALESCE(max(seq), 0)::int + 1 AS seq FROM announcement WHERE county_code = ${countyCode} AND year = ${year}::int`;
    return r.seq;
  }

  async findByCase(tx: Pick<Tx, 'announcement'>, caseId: string) {
    return tx.announcement.findUnique({ where: { caseId } });
  }

  async create(tx: Tx, a: NewAnnouncement & { seq: number }) {
    return tx.announcement.create({ data: a });
  }

  /** The household as the announcement left it (its size after a member change, closed or not). */
  async householdAfter(tx: Tx, id: string) {
    return tx.household.findUniqueOrThrow({ where: { id }, select: { memberCount: true, status: true } });
  }

  async noticesOf(tx: Tx, caseId: string) {
    return tx.notice.findMany({
      where: { caseId },
      orderBy: { startsAt: 'asc' },
      select: { startsAt: true, endsAt: true, _count: { select: { objections: true } } },
    });
  }

  async page(where: Prisma.AnnouncementWhereInput, page: number, pageSize: number) {
    const [total, rows] = await Promise.all([
      this.prisma.announcement.count({ where }),
      this.prisma.announcement.findMany({
        where,
        orderBy: { publishedAt: 'desc' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    ]);
    return { total, rows };
  }

  async find(id: string) {
    return this.prisma.announcement.findUnique({ where: { id } });
  }
}
