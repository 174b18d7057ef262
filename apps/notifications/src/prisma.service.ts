import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PG_POOL } from '@jingzhun/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { NOTIFY_SCHEMA } from './notifications.config';

/** The notifications service's Prisma client, schema "notify". */
@Injectable()
export class NotifyPrisma extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) pool: Pool) {
    super({
      adapter: new PrismaPg(pool, { schema: NOTIFY_SCHEMA }),
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

export type NotifyTx = Parameters<Parameters<NotifyPrisma['$transaction']>[0]>[0];
