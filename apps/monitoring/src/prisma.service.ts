import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PG_POOL } from '@jingzhun/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { MONITORING_SCHEMA } from './monitoring.config';

/** The monitoring service's Prisma client, schema "monitoring". */
@Injectable()
export class MonitoringPrisma extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) pool: Pool) {
    super({
      adapter: new PrismaPg(pool, { schema: MONITORING_SCHEMA }),
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

export type MonitoringTx = Parameters<Parameters<MonitoringPrisma['$transaction']>[0]>[0];
