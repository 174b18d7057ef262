import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../prisma/prisma.service';

/** Policy rows (政策数据): a key's values with their scopes and effective dates. */
@Injectable()
export class PolicyStore {
  constructor(private readonly prisma: PrismaService) {}

  /** The key's rows already in force at `at`, latest first (the caller picks the scope that fits). */
  async inForce(key: string, at: Date, db: Pick<Tx, 'policy'> = this.prisma) {
    return db.policy.findMany({ where: { key, effectiveFrom: { lte: at } }, orderBy: { effectiveFrom: 'desc' } });
  }
}
