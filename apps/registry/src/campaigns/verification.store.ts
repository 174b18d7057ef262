import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { VERIFICATION_STEP } from './campaign.store';

/** 逐户核查 records and what the comparison sheet prints: the household, its members, last assessment, measures and helper. */
@Injectable()
export class VerificationStore {
  constructor(private readonly prisma: PrismaService) {}

  /** The household's verification task in the campaign (one per household). */
  async task(caseId: string, householdId: string) {
    return this.prisma.task.findFirst({ where: { caseId, householdId, step: VERIFICATION_STEP } });
  }

  async create(
    tx: Tx,
    row: {
      caseId: string;
      taskId: string;
      householdId: string;
      villageCode: string;
      visitors: string[];
      documents: string[];
      record: unknown;
      unmetCriteria: string[];
      recordedBy: string;
      recordedAt?: Date;
    },
  ): Promise<string> {
    const v = await tx.verification.create({ data: { ...row, record: row.record as Prisma.InputJsonValue } });
    return v.id;
  }

  async setFindings(taskId: string, findings: unknown[]): Promise<string> {
    const v = await this.prisma.verification.update({
      where: { taskId },
      data: { findings: findings as Prisma.InputJsonValue },
    });
    return v.id;
  }

  /** The answer a verification gave, for the same submit repeated with its Idempotency-Key (#24). */
  async byClientKey(taskId: string, recordedBy: string, key: string) {
    const v = await this.prisma.verification.findFirst({
      where: { taskId, recordedBy, record: { path: ['clientKey'], equals: key } },
    });
    if (!v) return null;
    return {
      verificationId: v.id,
      householdId: v.householdId,
      unmetCriteria: v.unmetCriteria,
      findings: (v.findings ?? []) as unknown[],
    };
  }

  async ofHousehold(caseId: string, householdId: string) {
    return this.prisma.verification.findFirst({ where: { caseId, householdId } });
  }

  /** What the comparison sheet of these households prints, in household-number order. */
  async sheets(householdIds: string[]) {
    return this.prisma.household.findMany({
      where: { id: { in: householdIds } },
      orderBy: { number: 'asc' },
      include: {
        members: { where: { active: true }, orderBy: { createdAt: 'asc' } },
        assessments: { orderBy: { assessedOn: 'desc' }, take: 1 },
        measures: { orderBy: { startedOn: 'desc' }, take: 8 },
        helper: { select: { name: true, phone: true } },
      },
    });
  }

  /** The households of a village's verification tasks in the campaign. */
  async householdsOfVillage(caseId: string, villageCode: string): Promise<string[]> {
    const rows = await this.prisma.task.findMany({
      where: { caseId, step: VERIFICATION_STEP, regionCode: villageCode },
      select: { householdId: true },
    });
    return rows.map((r) => r.householdId).filter((h): h is string => h !== null);
  }
}
