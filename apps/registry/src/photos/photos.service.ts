import { createHash } from 'node:crypto';
import { PhotoError } from '@jingzhun/contracts';
import { PHOTO_MAX_BYTES, sniffImageType, type PhotoLabel } from '@jingzhun/domain';
import { Injectable } from '@nestjs/common';
import { assertJurisdiction, DomainException, invalid, notFound, type AuthUser } from '@jingzhun/platform';
import { HouseholdQueries } from '../households/household-queries';
import { HouseholdStore } from '../households/household.store';
import { Journal } from '../journal/journal';
import { CaseQueries } from '../procedures/case-queries';
import { CaseStore } from '../procedures/case.store';
import { PrismaService } from '../prisma/prisma.service';
import { PhotoStore } from './photo.store';

const kB = (n: number) => `${Math.ceil(n / 1024)} kB`;

export const photoTooLarge = (size: number) =>
  new DomainException(
    413,
    PhotoError.TooLarge,
    `photo: 照片不得超过 ${kB(PHOTO_MAX_BYTES)} (本张 ${kB(size)}): 请在手机上压缩后重新上传`,
  );

/**
 * Photos of evidence (#24): taken on the phone, uploaded (possibly long after, from the outbox) under an
 * id the phone chose, so a retried upload is one photo; the type is told by the content; read only by
 * those who may read the household; never put on a notice (notices are built from the case, not from here).
 */
@Injectable()
export class PhotosService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly store: PhotoStore,
    private readonly households: HouseholdStore,
    private readonly cases: CaseStore,
    private readonly caseQueries: CaseQueries,
    private readonly householdQueries: HouseholdQueries,
    private readonly journal: Journal,
  ) {}

  async upload(
    actor: AuthUser,
    householdId: string,
    id: string,
    q: { label: PhotoLabel; takenAt?: string },
    body: Buffer,
  ) {
    const h = await this.readable(actor, householdId);
    if (body.length === 0) throw invalid('photo', '请求体为空: 请上传照片');
    if (body.length > PHOTO_MAX_BYTES) throw photoTooLarge(body.length);
    const type = sniffImageType(body);
    if (!type)
      throw new DomainException(
        415,
        PhotoError.NotAnImage,
        'photo: 照片须为 JPEG、PNG 或 WebP 图片 (按文件内容识别, 不看文件名)',
      );
    // Its window (not ahead, not older than an offline stay) is checked by the query's schema.
    const takenAt = q.takenAt ?? new Date().toISOString();
    const sha256 = createHash('sha256').update(body).digest('hex');
    const same = async () => {
      const prior = await this.store.meta(id);
      if (!prior) return null;
      if (prior.householdId !== h.id || prior.uploadedBy !== actor.id || prior.sha256 !== sha256)
        throw new DomainException(409, PhotoError.IdTaken, `照片编号已被另一张照片使用: ${id}`);
      return prior;
    };
    const prior = await same();
    if (prior) return view(prior);
    try {
      const created = await this.prisma.$transaction(async (tx) => {
        const p = await this.store.create(tx, {
          id,
          householdId: h.id,
          uploadedBy: actor.id,
          label: q.label,
          contentType: type,
          bytes: body,
          sha256,
          takenAt: new Date(takenAt),
        });
        await this.journal.record(tx, actor, {
          action: 'photo.uploaded',
          entity: 'photo',
          entityId: id,
          householdId: h.id,
          regionCode: h.villageCode,
          after: { label: q.label, contentType: type, size: body.length, takenAt },
        });
        return p;
      });
      return view(created);
    } catch (err) {
      // A concurrent twin (the outbox and a manual retry) stored it first: the same photo answers.
      const twin = await same();
      if (twin) return view(twin);
      throw err;
    }
  }

  async bytes(actor: AuthUser, id: string) {
    const p = await this.store.bytes(id);
    if (!p) throw notFound('照片', id);
    await this.readable(actor, p.householdId);
    return p;
  }

  /** The photos recorded with a case's records, those of the households this user may read. */
  async ofCase(actor: AuthUser, caseId: string) {
    const c = await this.cases.find(caseId);
    if (!c) throw notFound('案件', caseId);
    assertJurisdiction(actor, c.regionCode);
    await this.caseQueries.assertHelperOf(actor, c.householdId);
    const photos = await this.store.ofCase(caseId);
    if (c.householdId) return photos.map(view);
    // A campaign's case spans the county: each photo is shown only to who may read its household.
    const seen = new Map<string, boolean>();
    const out = [];
    for (const p of photos) {
      if (!seen.has(p.householdId)) seen.set(p.householdId, await this.mayRead(actor, p.householdId));
      if (seen.get(p.householdId)) out.push(view(p));
    }
    return out;
  }

  private mayRead(actor: AuthUser, householdId: string): Promise<boolean> {
    return this.readable(actor, householdId).then(
      () => true,
      () => false,
    );
  }

  /** The household, if this user may read it (the household detail's own rule). */
  private async readable(actor: AuthUser, householdId: string) {
    const h = await this.households.find(householdId);
    if (!h) throw notFound('户', householdId);
    this.householdQueries.assertCanRead(actor, h);
    return h;
  }
}

function view(p: NonNullable<Awaited<ReturnType<PhotoStore['meta']>>>) {
  const { sha256: _sha, ...rest } = p;
  return { ...rest, takenAt: p.takenAt.toISOString(), receivedAt: p.receivedAt.toISOString() };
}
