import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

/** The answers given to requests that carried an Idempotency-Key, keyed by caller and key. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly prisma: PrismaService) {}

  find(key: string) {
    return this.prisma.idempotencyKey.findUnique({ where: { key } });
  }

  /** Keeps the first answer; a concurrent twin that stored the same answer first wins quietly. */
  async remember(i: { key: string; actorId: string; route: string; statusCode: number; response: unknown }): Promise<void> {
    await this.prisma.idempotencyKey
      .create({ data: { key: i.key, actorId: i.actorId, route: i.route, statusCode: i.statusCode, response: i.response as Prisma.InputJsonValue } })
      .catch(() => undefined);
  }
}
