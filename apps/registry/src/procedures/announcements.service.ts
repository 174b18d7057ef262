import { Injectable } from '@nestjs/common';
import type { ProcedureKind } from '@jingzhun/contracts';
import { ancestorCode, jurisdictionPrefix, isWithin } from '@jingzhun/domain';
import { assertJurisdiction, notFound, type AuthUser } from '@jingzhun/platform';
import type { Case, Household, Prisma } from '../generated/prisma/client';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import type { Tx } from '../prisma/prisma.service';
import { RegionStore } from '../regions/region.store';
import { announcementText } from './announcement-text';
import { AnnouncementStore } from './announcement.store';
import { PdfRenderer } from '../pdf/pdf-renderer';

/**
 * 公告 (一公告) as a published record: written in the announcement's own transaction with its county
 * number, listed beside the notices and printable as a PDF. It names the household by number and
 * village and the decision, never a person.
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    private readonly store: AnnouncementStore,
    private readonly regions: RegionStore,
    private readonly journal: Journal,
    private readonly pdfs: PdfRenderer,
  ) {}

  /** Publishes the case's announcement (once: a retried activity finds it). */
  async publish(tx: Tx, c: Case, household: Household | null): Promise<string> {
    const existing = await this.store.findByCase(tx, c.id);
    if (existing) return existing.id;
    const seq = await this.store.nextSeq(tx, c.countyCode, c.year);
    const after = household ? await this.store.householdAfter(tx, household.id) : null;
    const notices = await this.store.noticesOf(tx, c.id);
    const publishedAt = new Date();
    const text = announcementText({
      kind: c.kind as ProcedureKind,
      countyName: (await this.regions.name(c.countyCode)) ?? c.countyCode,
      villageName: (await this.regions.name(c.regionCode)) ?? c.regionCode,
      householdNumber: household?.number ?? null,
      year: c.year,
      seq,
      notices: notices.map((n) => ({ startsAt: n.startsAt, endsAt: n.endsAt, objections: n._count.objections })),
      memberCount: c.kind === 'member_change' ? (after?.status === 'CLOSED' ? 0 : after?.memberCount) : null,
      removalReason: c.kind === 'removal' ? String((c.data as Record<string, unknown>).removalReason ?? '') : null,
      publishedAt,
    });
    const row = await this.store.create(tx, {
      caseId: c.id,
      countyCode: c.countyCode,
      regionCode: c.regionCode,
      kind: c.kind,
      year: c.year,
      seq,
      title: text.title,
      body: text.body,
      publishedAt,
    });
    await this.journal.record(tx, SYSTEM_ACTOR, {
      action: 'announcement.published',
      entity: 'announcement',
      entityId: row.id,
      householdId: household?.id ?? null,
      regionCode: c.regionCode,
      caseId: c.id,
      after: { number: text.number, title: text.title },
    });
    return row.id;
  }

  /** The announcements of a region and below it, and of the township and county above it (posted there for it). */
  async list(actor: AuthUser, q: { regionCode?: string; kind?: string; page: number; pageSize: number }) {
    const scope = q.regionCode ?? actor.regionCode;
    assertJurisdiction(actor, scope);
    const where: Prisma.AnnouncementWhereInput = {
      OR: [
        { regionCode: { startsWith: jurisdictionPrefix(scope) } },
        {
          countyCode: ancestorCode(scope, 'COUNTY'),
          regionCode: { in: [ancestorCode(scope, 'TOWNSHIP'), ancestorCode(scope, 'COUNTY')] },
        },
      ],
    };
    if (q.kind) where.kind = q.kind;
    const { total, rows } = await this.store.page(where, q.page, q.pageSize);
    return {
      items: rows.map((a) => ({
        id: a.id,
        caseId: a.caseId,
        number: announcementNumber(a.body),
        kind: a.kind,
        regionCode: a.regionCode,
        title: a.title,
        body: a.body,
        publishedAt: a.publishedAt,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async pdf(actor: AuthUser, id: string): Promise<{ fileName: string; pdf: Buffer }> {
    const a = await this.store.find(id);
    if (!a) throw notFound('公告', id);
    if (!isWithin(a.regionCode, actor.regionCode)) assertJurisdiction(actor, a.regionCode);
    const pdf = await this.pdfs.render(actor.id, {
      kind: 'notice',
      notice: {
        title: a.title,
        body: a.body.split('\n').slice(2).join('\n'),
        placeName: (await this.regions.name(a.countyCode)) ?? a.countyCode,
      },
    });
    return { fileName: `announcement-${a.year}-${a.seq}.pdf`, pdf };
  }
}

/** The number is the body's first line (公告〔year〕第 n 号). */
function announcementNumber(body: string): string {
  return body.split('\n')[0];
}
