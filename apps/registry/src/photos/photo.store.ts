import { Injectable } from '@nestjs/common';
import { invalid } from '@jingzhun/platform';
import type { Tx } from '../prisma/prisma.service';
import { PrismaService } from '../prisma/prisma.service';

const META = {
  id: true,
  householdId: true,
  caseId: true,
  taskId: true,
  label: true,
  contentType: true,
  size: true,
  sha256: true,
  uploadedBy: true,
  takenAt: true,
  receivedAt: true,
} as const;

export interface PhotoOwner {
  householdId: string;
  uploadedBy: string;
}

/** The photos a record may carry: uploaded by its recorder for its household, and not another task's. */
const attachable = (ids: readonly string[], o: PhotoOwner & { taskId: string }) => ({
  id: { in: [...ids] },
  householdId: o.householdId,
  uploadedBy: o.uploadedBy,
  OR: [{ taskId: null }, { taskId: o.taskId }],
});

/** Photos of evidence (#24): their bytes in a table of their own, attached to a record once it is accepted. */
@Injectable()
export class PhotoStore {
  constructor(private readonly prisma: PrismaService) {}

  meta(id: string) {
    return this.prisma.photo.findUnique({ where: { id }, select: META });
  }

  bytes(id: string) {
    return this.prisma.photo.findUnique({
      where: { id },
      select: { householdId: true, contentType: true, bytes: true, sha256: true },
    });
  }

  create(
    tx: Tx,
    p: PhotoOwner & { id: string; label: string; contentType: string; bytes: Buffer; sha256: string; takenAt: Date },
  ) {
    return tx.photo.create({
      data: { ...p, bytes: new Uint8Array(p.bytes), size: p.bytes.length },
      select: META,
    });
  }

  /** 400 naming the ids this record cannot carry: not uploaded, of another household or uploader, or another task's. */
  async assertAttachable(ids: readonly string[], o: PhotoOwner & { taskId: string }): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.prisma.photo.findMany({ where: attachable(ids, o), select: { id: true } });
    const ok = new Set(found.map((f) => f.id));
    const missing = ids.filter((id) => !ok.has(id));
    if (missing.length > 0) throw invalid('photoIds', `照片未上传, 或不是本人为本户上传的: ${missing.join(', ')}`);
  }

  /** Attaches the photos to the record's case and task (again for a replayed request: same values). */
  async attach(
    ids: readonly string[],
    o: PhotoOwner & { caseId: string; taskId: string },
    db: Pick<Tx, 'photo'> = this.prisma,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await db.photo.updateMany({ where: attachable(ids, o), data: { caseId: o.caseId, taskId: o.taskId } });
    return r.count;
  }

  ofCase(caseId: string) {
    return this.prisma.photo.findMany({
      where: { caseId },
      select: META,
      orderBy: [{ takenAt: 'asc' }, { id: 'asc' }],
    });
  }
}
