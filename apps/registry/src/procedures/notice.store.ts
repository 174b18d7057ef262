import { Injectable } from '@nestjs/common';
import { NoticeSubjects, type Actor, type PublishNoticeInput } from '@jingzhun/contracts';
import type { Prisma } from '../generated/prisma/client';
import { Journal, SYSTEM_ACTOR } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { noticeText } from './notice-text';

/**
 * Notices (公示) and the objections against them, as the workflow posts, closes and resolves them;
 * inside the caller's transaction with audit entry and event, idempotent under retries (posting is
 * keyed by the workflow's step key); and their reads for the notice board and the objection desk.
 */
@Injectable()
export class NoticeStore {
  constructor(
    private readonly journal: Journal,
    private readonly prisma: PrismaService,
  ) {}

  /** The notice board: newest first, at most 200, with each notice's objection count. */
  async list(where: Prisma.NoticeWhereInput) {
    return this.prisma.notice.findMany({
      where,
      orderBy: { startsAt: 'desc' },
      take: 200,
      include: { _count: { select: { objections: true } } },
    });
  }

  async findWithCase(id: string) {
    return this.prisma.notice.findUnique({ where: { id }, include: { case: true } });
  }

  /** An objection as the cadre received it, with its audit entry and notices.objection event. */
  /**
   * Records the objection; with an Idempotency-Key the key's row is written in the same transaction,
   * so a double submit (two requests at once with one key) records one objection: the twin waits on
   * the key's unique index and then fails, and its caller reads the first answer.
   */
  async recordObjection(
    notice: { id: string; regionCode: string; caseId: string; case: { householdId: string | null } },
    actor: Actor,
    body: { content: string; submittedBy?: string },
    idempotency?: { key: string; route: string },
  ) {
    return this.prisma.$transaction(async (tx) => {
      const o = await tx.objection.create({
        data: { noticeId: notice.id, content: body.content, submittedBy: body.submittedBy ?? null },
      });
      if (idempotency) {
        const response = { id: o.id, noticeId: o.noticeId, status: o.status, createdAt: o.createdAt.toISOString() };
        await tx.idempotencyKey.create({
          data: { key: idempotency.key, actorId: actor.id, route: idempotency.route, statusCode: 201, response },
        });
      }
      await this.journal.record(
        tx,
        actor,
        {
          action: 'objection.recorded',
          entity: 'objection',
          entityId: o.id,
          householdId: notice.case.householdId,
          regionCode: notice.regionCode,
          caseId: notice.caseId,
          after: { noticeId: notice.id, content: body.content },
        },
        {
          subject: NoticeSubjects.objection,
          data: { objectionId: o.id, noticeId: notice.id, caseId: notice.caseId, regionCode: notice.regionCode },
        },
      );
      return o;
    });
  }

  async publish(tx: Tx, i: PublishNoticeInput): Promise<string> {
    const existing = await tx.notice.findUnique({ where: { key: i.key }, select: { id: true } });
    if (existing) return existing.id;
    const c = await tx.case.findUniqueOrThrow({ where: { id: i.caseId } });
    const household = c.householdId ? await tx.household.findUnique({ where: { id: c.householdId } }) : null;
    const village = await tx.region.findUniqueOrThrow({ where: { code: c.regionCode } });
    const place = await tx.region.findUniqueOrThrow({ where: { code: i.regionCode } });
    const posting = place.level === 'VILLAGE' ? `${place.name}村民委员会` : `${place.name}人民政府`;
    const { title, body } = noticeText({
      kind: c.kind as never,
      placeName: posting,
      householdNumber: household?.number ?? null,
      headName: household?.headName ?? null,
      memberCount: household?.memberCount ?? null,
      villageName: village.name,
      startsAt: new Date(i.startsAt),
      endsAt: new Date(i.endsAt),
      days: i.days,
      objectionsTo: place.level === 'VILLAGE' ? '村民委员会或乡镇人民政府' : '乡镇人民政府或县乡村振兴局',
    });
    const notice = await tx.notice.create({
      data: {
        ...(i.noticeId ? { id: i.noticeId } : {}),
        caseId: c.id,
        key: i.key,
        regionCode: i.regionCode,
        title,
        body,
        days: i.days,
        startsAt: new Date(i.startsAt),
        endsAt: new Date(i.endsAt),
      },
    });
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      {
        action: 'notice.published',
        entity: 'notice',
        entityId: notice.id,
        householdId: c.householdId,
        regionCode: i.regionCode,
        caseId: c.id,
        after: { title, days: i.days, startsAt: i.startsAt, endsAt: i.endsAt },
      },
      {
        subject: NoticeSubjects.published,
        data: {
          noticeId: notice.id,
          caseId: c.id,
          regionCode: i.regionCode,
          endsAt: i.endsAt,
          householdNumber: household?.number ?? null,
        },
      },
    );
    return notice.id;
  }

  async close(tx: Tx, i: { noticeId: string; withdrawn: boolean }): Promise<void> {
    const n = await tx.notice.findUniqueOrThrow({ where: { id: i.noticeId }, include: { case: true } });
    if (n.status !== 'ACTIVE') return;
    const status = i.withdrawn ? 'WITHDRAWN' : 'ENDED';
    await tx.notice.update({ where: { id: n.id }, data: { status, closedAt: new Date() } });
    await this.journal.record(
      tx,
      SYSTEM_ACTOR,
      {
        action: `notice.${status.toLowerCase()}`,
        entity: 'notice',
        entityId: n.id,
        householdId: n.case.householdId,
        regionCode: n.regionCode,
        caseId: n.caseId,
        before: { status: 'ACTIVE' },
        after: { status },
      },
      { subject: NoticeSubjects.closed, data: { noticeId: n.id, caseId: n.caseId, status } },
    );
  }

  async resolveObjection(
    tx: Tx,
    i: { objectionId: string; finding: 'UPHELD' | 'DISMISSED'; taskId: string },
  ): Promise<void> {
    const o = await tx.objection.findUniqueOrThrow({
      where: { id: i.objectionId },
      include: { notice: { include: { case: true } } },
    });
    if (o.status !== 'OPEN') return;
    await tx.objection.update({
      where: { id: o.id },
      data: { status: i.finding, taskId: i.taskId, resolvedAt: new Date() },
    });
    await this.journal.record(tx, SYSTEM_ACTOR, {
      action: 'objection.resolved',
      entity: 'objection',
      entityId: o.id,
      householdId: o.notice.case.householdId,
      regionCode: o.notice.regionCode,
      caseId: o.notice.caseId,
      before: { status: 'OPEN' },
      after: { status: i.finding, taskId: i.taskId },
    });
  }
}
