import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PG_POOL } from '@jingzhun/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { REGISTRY_SCHEMA } from '../registry.config';

/** The registry's Prisma client, on the service's shared pg pool and schema "registry". */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) pool: Pool) {
    // Under load a transaction may wait for a pooled connection; 2 s (Prisma's default) is too short.
    super({
      adapter: new PrismaPg(pool, { schema: REGISTRY_SCHEMA }),
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

export type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];
