import { Injectable } from '@nestjs/common';
import { MonitoringPrisma } from './prisma.service';

export interface RiskRuleRow {
  code: string;
  kind: string;
  params: unknown;
}

/** The risk_rule table: policy rows with effective dates. */
@Injectable()
export class RiskRuleStore {
  constructor(private readonly prisma: MonitoringPrisma) {}

  /** Writes the given rules where no row of that code and date exists yet (a fresh install's defaults). */
  async seedDefaults(rules: readonly { code: string; kind: string; params: object; note: string }[], from: Date) {
    await this.prisma.riskRule.createMany({
      data: rules.map((r) => ({ code: r.code, kind: r.kind, params: r.params, note: r.note, effectiveFrom: from })),
      skipDuplicates: true,
    });
  }

  /** The rows in force at `at`, the latest effective first. */
  inForce(at: Date): Promise<RiskRuleRow[]> {
    return this.prisma.riskRule.findMany({
      where: { effectiveFrom: { lte: at }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: at } }] },
      orderBy: { effectiveFrom: 'desc' },
    });
  }
}
