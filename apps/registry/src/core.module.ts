import { Module } from '@nestjs/common';
import { IdNumberVault } from './id-numbers/id-number-vault';
import { Journal } from './journal/journal';
import { MetricsStore } from './metrics/metrics.store';
import { RegistryMetrics } from './metrics/registry-metrics';
import { PdfRenderer } from './pdf/pdf-renderer';
import { PrismaService } from './prisma/prisma.service';
import { IdempotencyStore } from './procedures/idempotency.store';
import { PolicyService } from './procedures/policy.service';
import { PolicyStore } from './procedures/policy.store';

/**
 * What every feature of the registry stands on: the database client and the journal (audit + outbox),
 * the ID-number vault, policy data, idempotency keys, the PDF renderer and the registry's metrics.
 */
const CORE = [
  PrismaService,
  Journal,
  IdNumberVault,
  PolicyStore,
  PolicyService,
  IdempotencyStore,
  PdfRenderer,
  MetricsStore,
  RegistryMetrics,
];

@Module({ providers: CORE, exports: CORE })
export class CoreModule {}
