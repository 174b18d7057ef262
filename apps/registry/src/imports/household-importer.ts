import { FollowUpCoverage } from '../follow-ups/follow-up-coverage';
import { registeredElsewhere } from '../households/registered-elsewhere';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { RegistrySubjects } from '@jingzhun/contracts';
import { SERVICE_INFO, uuidv7, type ServiceInfo } from '@jingzhun/platform';
import { IdNumberVault } from '../id-numbers/id-number-vault';
import { registryJournal } from '../journal/journal';
import type { Actor } from '@jingzhun/contracts';
import { ImportStore } from './import.store';
import { importBatchRows } from './import-rows';
import { IMPORT_COLUMNS } from './import-columns';
import type { ParsedRow } from './import-parser';
import { validateImportRowsYielding, type ImportHousehold, type RowError } from './import-validation';

export interface ImportProgress {
  phase: 'validating' | 'writing' | 'done';
  households: number;
  processed: number;
}

export interface ImportReport {
  importId: string;
  status: 'DONE' | 'FAILED';
  totalRows: number;
  okRows: number;
  errorRows: number;
  households: number;
  /** Households already registered (same head, same members): a re-import changes nothing. */
  skippedHouseholds: number;
  errors: RowError[];
}

export interface ImportOptions {
  actor: Actor;
  fileName: string;
  origin: 'api' | 'import' | 'seed';
  importId?: string;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
}

/** A member's ID number sealed for storage: its row id, keyed hash, cipher and masked form. */
export interface SealedMember {
  id: string;
  hash: string;
  cipher: string;
  masked: string;
}

/**
 * The one write path for bulk registration (HTTP import, `npm run import`, the seed):
 * validated households are written in batches, each batch one transaction with COPY into
 * household, member, audit and outbox. Idempotent: a household whose people are already
 * registered together is skipped; a person registered in another household is reported.
 */
@Injectable()
export class HouseholdImporter {
  constructor(
    private readonly store: ImportStore,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    private readonly vault: IdNumberVault,
    private readonly coverage: FollowUpCoverage,
  ) {}

  /** Creates the job row so progress can be polled while `run` works. */
  startJob(fileName: string, actor: Actor): Promise<string> {
    return this.store.startJob(fileName, actor);
  }

  async run(rows: ParsedRow[], opts: ImportOptions): Promise<ImportReport> {
    const importId = opts.importId ?? (await this.startJob(opts.fileName, opts.actor));
    try {
      opts.onProgress?.({ phase: 'validating', households: 0, processed: 0 });
      const { households, errors } = await validateImportRowsYielding(rows, await this.store.villageCodes());
      const batchSize = opts.batchSize ?? 1000;
      let written = 0;
      let skipped = 0;
      const okRowSet = new Set<number>();
      await this.store.setTotal(importId, rows.length);
      // Two batches in flight: while PostgreSQL writes one (its own core), Node prepares the next.
      const batches: ImportHousehold[][] = [];
      for (let i = 0; i < households.length; i += batchSize) batches.push(households.slice(i, i + batchSize));
      let processed = 0;
      const finish = async (result: Awaited<ReturnType<HouseholdImporter['writeBatchWithRetry']>>, size: number) => {
        written += result.written.length;
        skipped += result.skipped.length;
        errors.push(...result.errors);
        for (const h of [...result.written, ...result.skipped]) for (const r of h.rows) okRowSet.add(r);
        processed += size;
        await this.store.setProgress(importId, okRowSet.size, rows.length - okRowSet.size);
        opts.onProgress?.({ phase: 'writing', households: households.length, processed });
      };
      const inFlight: Promise<void>[] = [];
      let failure: unknown = null;
      for (const batch of batches) {
        if (failure) break;
        if (inFlight.length >= 2) await inFlight.shift();
        inFlight.push(
          this.writeBatchWithRetry(batch, opts)
            .then((r) => finish(r, batch.length))
            .catch((err) => {
              failure ??= err;
            }),
        );
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      errors.sort((a, b) => a.row - b.row);
      const errorRows = new Set(errors.map((e) => e.row)).size;
      const report: ImportReport = {
        importId,
        status: 'DONE',
        totalRows: rows.length,
        okRows: okRowSet.size,
        errorRows,
        households: written,
        skippedHouseholds: skipped,
        errors,
      };
      const finished = { importId, okRows: report.okRows, errorRows, households: written };
      const event = { subject: RegistrySubjects.importFinished, data: finished };
      const audit = {
        fileName: opts.fileName,
        totalRows: rows.length,
        okRows: report.okRows,
        errorRows,
        households: written,
        skippedHouseholds: skipped,
      };
      await this.store.finishJob(
        importId,
        { okRows: report.okRows, errorRows, errors },
        opts.actor,
        audit,
        event,
        registryJournal(this.info.name),
      );
      opts.onProgress?.({ phase: 'done', households: households.length, processed: households.length });
      // Exited and monitored stock gets its follow-ups from the registry's sweep, in the background.
      if (written > 0) this.coverage.request();
      return report;
    } catch (err) {
      await this.store.failJob(importId, `导入中断: ${(err as Error).message}`).catch(() => undefined);
      throw err;
    }
  }

  /** A concurrent import of the same people makes a batch hit the unique index: re-check once. */
  private async writeBatchWithRetry(batch: ImportHousehold[], opts: ImportOptions) {
    try {
      return await this.writeBatch(batch, opts);
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      return this.writeBatch(batch, opts);
    }
  }

  private async writeBatch(batch: ImportHousehold[], opts: ImportOptions) {
    const sealed = new Map<ImportHousehold, SealedMember[]>();
    for (const h of batch)
      sealed.set(
        h,
        h.members.map((m) => ({ id: uuidv7(), ...this.vault.seal(m.idNumber) })),
      );
    return this.store.inTransaction(async (client) => {
      const activeByHash = await this.store.activeMembers(
        client,
        [...sealed.values()].flat().map((s) => s.hash),
      );
      const taken = await this.store.takenNumbers(
        client,
        batch.map((h) => h.number).filter((n): n is string => !!n),
      );
      const written: ImportHousehold[] = [];
      const skipped: ImportHousehold[] = [];
      const errors: RowError[] = [];
      for (const h of batch) {
        const people = sealed.get(h)!;
        const found = people.map((p) => activeByHash.get(p.hash));
        if (found.every((f) => f !== undefined) && new Set(found.map((f) => f!.household_id)).size === 1) {
          skipped.push(h);
          continue;
        }
        const clashes = found.map((f, i) => ({ f, m: h.members[i] })).filter((x) => x.f !== undefined);
        if (clashes.length > 0) {
          for (const { f, m } of clashes)
            errors.push({
              row: m.row,
              column: IMPORT_COLUMNS.idNumber,
              reason: registeredElsewhere(opts.actor, { number: f!.number, villageCode: f!.village_code }),
            });
          const bad = new Set(clashes.map((c) => c.m.row));
          for (const r of h.rows)
            if (!bad.has(r))
              errors.push({ row: r, column: IMPORT_COLUMNS.relation, reason: '同户其他行有误,整户未导入' });
          continue;
        }
        if (h.number && taken.has(h.number)) {
          errors.push({ row: h.row, column: IMPORT_COLUMNS.number, reason: `户编号 ${h.number} 已被其他户使用` });
          for (const r of h.rows)
            if (r !== h.row)
              errors.push({ row: r, column: IMPORT_COLUMNS.relation, reason: '同户其他行有误,整户未导入' });
          continue;
        }
        written.push(h);
      }
      await this.insert(client, written, sealed, opts);
      return { written, skipped, errors };
    });
  }

  private async insert(
    client: PoolClient,
    households: ImportHousehold[],
    sealed: Map<ImportHousehold, SealedMember[]>,
    opts: ImportOptions,
  ) {
    if (households.length === 0) return;
    // Numbers come from their own short transaction (pool, autocommit): holding the villages'
    // counter rows for a whole batch would serialise concurrent batches. A failed batch leaves a gap.
    const numbers = await this.allocateNumbers(households);
    const rows = importBatchRows(households, numbers, sealed, opts, this.info.name);
    await this.store.copyBatch(client, rows);
  }

  private async allocateNumbers(households: ImportHousehold[]): Promise<string[]> {
    const need = new Map<string, number>();
    for (const h of households) if (!h.number) need.set(h.villageCode, (need.get(h.villageCode) ?? 0) + 1);
    const next = await this.store.reserveNumbers(need);
    return households.map((h) => {
      if (h.number) return h.number;
      const n = next.get(h.villageCode)!;
      next.set(h.villageCode, n + 1);
      return h.villageCode + String(n).padStart(5, '0');
    });
  }
}
