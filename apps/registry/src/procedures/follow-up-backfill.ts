import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { CasesService } from './cases.service';
import { PolicyService } from './policy.service';

export interface BackfillProgress {
  total: number;
  done: number;
  started: number;
  failed: number;
}

/**
 * One-off: starts the follow-up of every household that should have one and has none — EXITED
 * within its transition period, or MONITORED — for registries migrated from before this system.
 * Idempotent: a household with an open follow-up is skipped, so it can be run again after a stop.
 */
@Injectable()
export class FollowUpBackfill {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cases: CasesService,
    private readonly policy: PolicyService,
  ) {}

  async run(opts: { regionPrefix?: string; concurrency?: number; onProgress?: (p: BackfillProgress) => void } = {}): Promise<BackfillProgress> {
    const now = new Date();
    const years = await this.policy.transitionYears(opts.regionPrefix ?? '', now);
    const firstYear = now.getUTCFullYear() - years;
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT h.id FROM household h
       WHERE h.village_code LIKE ${`${opts.regionPrefix ?? ''}%`}
         AND (h.status = 'MONITORED' OR (h.status = 'EXITED' AND h.exit_year >= ${firstYear}))
         AND NOT EXISTS (SELECT 1 FROM "case" c WHERE c.open_key = 'follow_up/' || h.id::text)
       ORDER BY h.id`;
    const progress: BackfillProgress = { total: rows.length, done: 0, started: 0, failed: 0 };
    opts.onProgress?.(progress);
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const { id } = rows[next++];
        try {
          const r = await this.cases.startBySystem('follow_up', id, '回访补建 (系统上线前已脱贫或已监测)', { basis: 'backfill' });
          if (!r.alreadyOpen) progress.started++;
        } catch {
          progress.failed++;
        }
        progress.done++;
        opts.onProgress?.(progress);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    return progress;
  }
}
