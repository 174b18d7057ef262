import { CommonError } from '@jingzhun/contracts';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conflict, DomainException } from '@jingzhun/platform';
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
  async remember(i: {
    key: string;
    actorId: string;
    route: string;
    statusCode: number;
    response: unknown;
  }): Promise<void> {
    await this.prisma.idempotencyKey
      .create({
        data: {
          key: i.key,
          actorId: i.actorId,
          route: i.route,
          statusCode: i.statusCode,
          response: i.response as Prisma.InputJsonValue,
        },
      })
      .catch(() => undefined);
  }
}

/** JSON with its keys in order, so one body always hashes the same whatever order the client wrote it in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** What a key is stored against: the route and a hash of the request's body. */
export function keyedRequest(route: string, body: unknown): string {
  return `${route} #${createHash('sha256').update(canonical(body)).digest('hex').slice(0, 16)}`;
}

/**
 * A key seen before answers with the first result only for the same request: another route is a 409
 * (the key was used elsewhere), the same route with another body a 422 (#22: not the first answer to a
 * different question). Rows stored before the body was hashed match on the route alone.
 */
export function assertSameRequest(stored: string, route: string, body: unknown): void {
  const [storedRoute, storedHash] = stored.split(' #');
  if (storedRoute !== route) throw conflict(CommonError.IdempotencyKeyReused, 'Idempotency-Key 已用于其他请求');
  if (storedHash && keyedRequest(route, body) !== stored)
    throw new DomainException(
      422,
      CommonError.IdempotencyKeyBodyMismatch,
      'Idempotency-Key 已用于内容不同的同一请求: 重新提交请使用新的 Idempotency-Key',
    );
}
