import { Injectable } from '@nestjs/common';
import { NotifyPrisma } from './prisma.service';

/** Each user's notifications: the inbox reads and marks only the caller's own rows. */
@Injectable()
export class InboxStore {
  constructor(private readonly prisma: NotifyPrisma) {}

  async page(userId: string, q: { unread?: boolean; page: number; pageSize: number }) {
    const where = { userId, ...(q.unread ? { readAt: null } : {}) };
    const [total, unread, rows] = await Promise.all([
      this.prisma.notification.count({ where }),
      this.unread(userId),
      this.prisma.notification.findMany({
        where,
        orderBy: { createdAt: 'desc' },
        skip: (q.page - 1) * q.pageSize,
        take: q.pageSize,
        include: { deliveries: { select: { channel: true, status: true, deferred: true, sentAt: true } } },
      }),
    ]);
    return { total, unread, rows };
  }

  unread(userId: string): Promise<number> {
    return this.prisma.notification.count({ where: { userId, readAt: null } });
  }

  /** Marks the user's notification read (once: the first time stands); null when it is not theirs or absent. */
  async markRead(userId: string, id: string): Promise<{ readAt: Date | null } | null> {
    const n = await this.prisma.notification.findUnique({ where: { id } });
    if (!n || n.userId !== userId) return null;
    if (n.readAt) return { readAt: n.readAt };
    const updated = await this.prisma.notification.update({ where: { id }, data: { readAt: new Date() } });
    return { readAt: updated.readAt };
  }
}
