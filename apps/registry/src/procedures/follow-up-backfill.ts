import { Injectable } from '@nestjs/common';
import { HouseholdStore } from '../households/household.store';
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
    private readonly households: HouseholdStore,
    private readonly cases: CasesService,
    private readonly policy: PolicyService,
  ) {}

  async run(opts: { regionPrefix?: string; concurrency?: number; onProgress?: (p: BackfillProgress) => void } = {}): Promise<BackfillProgress> {
    const now = new Date();
    const years = await this.policy.transitionYears(opts.regionPrefix ?? '', now);
    const firstYear = now.getUTCFullYear() - years;
    const rows = await this.households.dueFollowUpWithoutOne(opts.regionPrefix ?? '', firstYear);
    const progress: BackfillProgress = { total: rows.length, done: 0, started: 0, failed: 0 };
    opts.onProgress?.(progress);
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const id = rows[next++];
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
