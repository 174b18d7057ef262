import { Injectable } from '@nestjs/common';
import { objectionSignal, CaseError } from '@jingzhun/contracts';
import { ancestorCode, isWithin, jurisdictionPrefix } from '@jingzhun/domain';
import { assertJurisdiction, conflict, notFound, TemporalClientService, type AuthUser } from '@jingzhun/platform';
import type { Prisma } from '../generated/prisma/client';
import { PdfRenderer } from '../pdf/pdf-renderer';
import { RegionStore } from '../regions/region.store';
import { NoticeStore } from './notice.store';
import { assertSameRequest, IdempotencyStore, keyedRequest } from './idempotency.store';

@Injectable()
export class NoticesService {
  constructor(
    private readonly store: NoticeStore,
    private readonly regions: RegionStore,
    private readonly temporal: TemporalClientService,
    private readonly idempotency: IdempotencyStore,
    private readonly pdfs: PdfRenderer,
  ) {}

  async list(actor: AuthUser, q: { regionCode?: string; active?: 'true' | 'false' }) {
    const scope = q.regionCode ?? actor.regionCode;
    assertJurisdiction(actor, scope);
    const ancestors = (['TOWNSHIP', 'COUNTY'] as const).map((l) => ancestorCode(scope, l)).filter((c) => c !== scope);
    const where: Prisma.NoticeWhereInput = {
      OR: [{ regionCode: { startsWith: jurisdictionPrefix(scope) } }, { regionCode: { in: ancestors } }],
    };
    if (q.active === 'true') where.status = 'ACTIVE';
    if (q.active === 'false') where.status = { not: 'ACTIVE' };
    const rows = await this.store.list(where);
    return rows.map((n) => ({
      id: n.id,
      caseId: n.caseId,
      regionCode: n.regionCode,
      title: n.title,
      body: n.body,
      days: n.days,
      startsAt: n.startsAt,
      endsAt: n.endsAt,
      status: n.status,
      objections: n._count.objections,
    }));
  }

  /** The printable notice (PDF with an embedded CJK font) for the village board. */
  async pdf(actor: AuthUser, noticeId: string): Promise<{ fileName: string; pdf: Buffer }> {
    const notice = await this.store.findWithCase(noticeId);
    if (!notice) throw notFound('公示', noticeId);
    // Readable where it is posted and below it (a village reads its township's notice), and above it.
    if (!isWithin(notice.regionCode, actor.regionCode)) assertJurisdiction(actor, notice.regionCode);
    const placeName = await this.regions.name(notice.regionCode);
    const pdf = await this.pdfs.render(actor.id, {
      kind: 'notice',
      notice: { title: notice.title, body: notice.body, placeName: placeName ?? notice.regionCode },
    });
    return { fileName: `notice-${notice.id}.pdf`, pdf };
  }

  /** Records an objection (as the cadre received it) and tells the procedure, which opens its verification. */
  async object(
    actor: AuthUser,
    noticeId: string,
    body: { content: string; submittedBy?: string },
    idempotencyKey?: string,
  ) {
    const route = `POST /notices/${noticeId}/objections`;
    const key = idempotencyKey ? `${actor.id}:${idempotencyKey}` : null;
    const prior = async () => {
      const p = key ? await this.idempotency.find(key) : null;
      if (p) assertSameRequest(p.route, route, body);
      return p ? (p.response as { id: string; noticeId: string; status: string; createdAt: string }) : null;
    };
    const answered = await prior();
    if (answered) return answered;
    const notice = await this.store.findWithCase(noticeId);
    if (!notice) throw notFound('公示', noticeId);
    // A notice posted at the caller's region or above it (a township notice seen from its village).
    if (!isWithin(notice.regionCode, actor.regionCode)) assertJurisdiction(actor, notice.regionCode);
    if (notice.status !== 'ACTIVE' || notice.endsAt.getTime() <= Date.now())
      throw conflict(CaseError.NoticeClosed, `公示已于 ${notice.endsAt.toISOString()} 结束, 不再受理异议`);
    let objection: Awaited<ReturnType<NoticeStore['recordObjection']>>;
    try {
      objection = await this.store.recordObjection(
        notice,
        actor,
        body,
        key ? { key, route: keyedRequest(route, body) } : undefined,
      );
    } catch (err) {
      // The twin of a double submit: the first request recorded it, this one answers the same.
      const first = await prior();
      if (first) return first;
      throw err;
    }
    const client = await this.temporal.client();
    await client.workflow
      .getHandle(notice.case.workflowId)
      .signal(objectionSignal, { objectionId: objection.id, noticeId });
    return { id: objection.id, noticeId, status: objection.status, createdAt: objection.createdAt };
  }
}
