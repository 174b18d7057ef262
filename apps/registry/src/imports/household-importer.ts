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
import { HouseholdAssembler, type ImportHousehold, type RowError } from './import-validation';

export interface ImportProgress {
  phase: 'validating' | 'writing' | 'done';
  /** Households validated and sent to be written so far (the file is read as it goes). */
  households: number;
  /** Households written (or found already registered) so far. */
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

  /**
   * Validates and writes as it reads (#23 §1): `source` is the rows, or pieces of them as a file is
   * read (`streamImportFile`); households are written in batches as they complete, two batches in
   * flight, so memory holds a batch or two, never the file.
   */
  async run(source: ParsedRow[] | AsyncIterable<ParsedRow[]>, opts: ImportOptions): Promise<ImportReport> {
    const importId = opts.importId ?? (await this.startJob(opts.fileName, opts.actor));
    try {
      const known = Array.isArray(source) ? source.length : null;
      opts.onProgress?.({ phase: 'validating', households: 0, processed: 0 });
      const assembler = new HouseholdAssembler(await this.store.villageCodes());
      const errors = assembler.errors;
      const batchSize = opts.batchSize ?? 1000;
      let totalRows = 0;
      let written = 0;
      let skipped = 0;
      let okRows = 0;
      let seen = 0;
      let processed = 0;
      if (known !== null) await this.store.setTotal(importId, known);
      const finish = async (result: Awaited<ReturnType<HouseholdImporter['writeBatchWithRetry']>>, size: number) => {
        written += result.written.length;
        skipped += result.skipped.length;
        errors.push(...result.errors);
        for (const h of [...result.written, ...result.skipped]) okRows += h.rows.length;
        processed += size;
        await this.store.setProgress(importId, okRows, (known ?? totalRows) - okRows);
        opts.onProgress?.({ phase: 'writing', households: seen, processed });
      };
      // Two batches in flight: while PostgreSQL writes one (its own core), Node prepares the next.
      const inFlight: Promise<void>[] = [];
      let failure: unknown = null;
      const dispatch = async (batch: ImportHousehold[]) => {
        if (inFlight.length >= 2) await inFlight.shift();
        if (failure) {
          await Promise.all(inFlight);
          throw failure;
        }
        inFlight.push(
          this.writeBatchWithRetry(batch, opts)
            .then((r) => finish(r, batch.length))
            .catch((err) => {
              failure ??= err;
            }),
        );
      };
      let pending: ImportHousehold[] = [];
      const drain = async (all: boolean) => {
        pending.push(...assembler.take());
        while (pending.length >= batchSize || (all && pending.length > 0)) {
          const batch = pending.slice(0, batchSize);
          pending = pending.slice(batchSize);
          seen += batch.length;
          await dispatch(batch);
        }
      };
      for await (const piece of Array.isArray(source) ? pieces(source, 5000) : source) {
        for (const r of piece) {
          assembler.add(r);
          // A county's 60 000-row sheet never blocks the service: the event loop gets a turn every 1 000 rows.
          if (++totalRows % 1000 === 0) await new Promise((r) => setImmediate(r));
        }
        await drain(false);
      }
      assembler.finish();
      await drain(true);
      await Promise.all(inFlight);
      if (failure) throw failure;
      if (known === null) await this.store.setTotal(importId, totalRows);
      errors.sort((a, b) => a.row - b.row);
      const errorRows = new Set(errors.map((e) => e.row)).size;
      const report: ImportReport = {
        importId,
        status: 'DONE',
        totalRows,
        okRows,
        errorRows,
        households: written,
        skippedHouseholds: skipped,
        errors,
      };
      const finished = { importId, okRows: report.okRows, errorRows, households: written };
      const event = { subject: RegistrySubjects.importFinished, data: finished };
      const audit = {
        fileName: opts.fileName,
        totalRows,
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
      opts.onProgress?.({ phase: 'done', households: seen, processed: seen });
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

/** An array's rows in pieces, as a stream would give them. */
async function* pieces(rows: ParsedRow[], size: number): AsyncGenerator<ParsedRow[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
