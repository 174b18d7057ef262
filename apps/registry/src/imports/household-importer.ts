import { registeredElsewhere } from '../households/registered-elsewhere';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { RegistrySubjects } from '@jingzhun/contracts';
import { outboxEvent, PG_POOL, SERVICE_INFO, uuidv7, type ServiceInfo } from '@jingzhun/platform';
import { IdNumberVault } from '../id-numbers/id-number-vault';
import type { Actor } from '@jingzhun/contracts';
import { copyRows } from './copy-rows';
import { IMPORT_COLUMNS } from './import-columns';
import type { ParsedRow } from './import-parser';
import { validateImportRows, type ImportHousehold, type RowError } from './import-validation';

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

interface SealedMember {
  id: string;
  hash: string;
  cipher: string;
  masked: string;
}

const HOUSEHOLD_COLUMNS = [
  'id', 'number', 'village_code', 'head_name', 'status', 'attribute', 'main_cause', 'secondary_causes',
  'identified_year', 'exit_year', 'monitoring_type', 'monitored_since', 'address', 'member_count', 'version', 'created_at', 'updated_at',
];
const MEMBER_COLUMNS = [
  'id', 'household_id', 'name', 'id_hash', 'active_id_hash', 'id_cipher', 'id_masked', 'relation', 'sex', 'birth_date',
  'education', 'schooling', 'health', 'labour_capacity', 'work_status', 'medical_insurance', 'pension_insurance',
  'active', 'created_at', 'updated_at',
];
const AUDIT_COLUMNS = ['actor_id', 'actor_role', 'action', 'entity', 'entity_id', 'household_id', 'region_code', 'after'];
const OUTBOX_COLUMNS = ['id', 'subject', 'payload'];

/**
 * The one write path for bulk registration (HTTP import, `npm run import`, the seed):
 * validated households are written in batches, each batch one transaction with COPY into
 * household, member, audit and outbox. Idempotent: a household whose people are already
 * registered together is skipped; a person registered in another household is reported.
 */
@Injectable()
export class HouseholdImporter {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    private readonly vault: IdNumberVault,
  ) {}

  async villageCodes(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'VILLAGE'`);
    return new Set(rows.map((r) => r.code));
  }

  /** Creates the job row so progress can be polled while `run` works. */
  async startJob(fileName: string, actor: Actor): Promise<string> {
    const id = uuidv7();
    await this.pool.query(`INSERT INTO import_job (id, file_name, status, started_by, region_code) VALUES ($1, $2, 'RUNNING', $3, $4)`, [
      id,
      fileName,
      actor.id,
      actor.regionCode,
    ]);
    return id;
  }

  async run(rows: ParsedRow[], opts: ImportOptions): Promise<ImportReport> {
    const importId = opts.importId ?? (await this.startJob(opts.fileName, opts.actor));
    try {
      opts.onProgress?.({ phase: 'validating', households: 0, processed: 0 });
      const { households, errors } = validateImportRows(rows, await this.villageCodes());
      const batchSize = opts.batchSize ?? 1000;
      let written = 0;
      let skipped = 0;
      const okRowSet = new Set<number>();
      await this.pool.query(`UPDATE import_job SET total_rows = $2 WHERE id = $1`, [importId, rows.length]);
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
        await this.pool.query(`UPDATE import_job SET ok_rows = $2, error_rows = $3 WHERE id = $1`, [importId, okRowSet.size, rows.length - okRowSet.size]);
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
      const event = outboxEvent(this.info.name, RegistrySubjects.importFinished, { importId, okRows: report.okRows, errorRows, households: written });
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`UPDATE import_job SET status = 'DONE', ok_rows = $2, error_rows = $3, errors = $4, finished_at = now() WHERE id = $1`, [
          importId,
          report.okRows,
          errorRows,
          JSON.stringify(errors),
        ]);
        await client.query(`INSERT INTO audit (actor_id, actor_role, action, entity, entity_id, after) VALUES ($1, $2, 'import.finished', 'import_job', $3, $4)`, [
          opts.actor.id,
          opts.actor.role,
          importId,
          JSON.stringify({ fileName: opts.fileName, totalRows: rows.length, okRows: report.okRows, errorRows, households: written, skippedHouseholds: skipped }),
        ]);
        await client.query(`INSERT INTO outbox (id, subject, payload) VALUES ($1, $2, $3)`, [event.id, event.subject, JSON.stringify(event)]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
      opts.onProgress?.({ phase: 'done', households: households.length, processed: households.length });
      return report;
    } catch (err) {
      await this.pool
        .query(`UPDATE import_job SET status = 'FAILED', finished_at = now(), errors = $2 WHERE id = $1`, [
          importId,
          JSON.stringify([{ row: 0, column: '', reason: `导入中断: ${(err as Error).message}` }]),
        ])
        .catch(() => undefined);
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
    for (const h of batch) sealed.set(h, h.members.map((m) => ({ id: uuidv7(), ...this.vault.seal(m.idNumber) })));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const hashes = [...sealed.values()].flat().map((s) => s.hash);
      const { rows: active } = await client.query<{ hash: string; household_id: string; number: string; village_code: string }>(
        `SELECT m.active_id_hash AS hash, m.household_id, h.number, h.village_code FROM member m JOIN household h ON h.id = m.household_id WHERE m.active_id_hash = ANY($1)`,
        [hashes],
      );
      const activeByHash = new Map(active.map((a) => [a.hash, a]));
      const givenNumbers = batch.map((h) => h.number).filter((n): n is string => !!n);
      const { rows: takenNumbers } = givenNumbers.length
        ? await client.query<{ number: string }>(`SELECT number FROM household WHERE number = ANY($1)`, [givenNumbers])
        : { rows: [] };
      const taken = new Set(takenNumbers.map((r) => r.number));

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
          for (const { f, m } of clashes) errors.push({ row: m.row, column: IMPORT_COLUMNS.idNumber, reason: registeredElsewhere(opts.actor, { number: f!.number, villageCode: f!.village_code }) });
          const bad = new Set(clashes.map((c) => c.m.row));
          for (const r of h.rows) if (!bad.has(r)) errors.push({ row: r, column: IMPORT_COLUMNS.relation, reason: '同户其他行有误,整户未导入' });
          continue;
        }
        if (h.number && taken.has(h.number)) {
          errors.push({ row: h.row, column: IMPORT_COLUMNS.number, reason: `户编号 ${h.number} 已被其他户使用` });
          for (const r of h.rows) if (r !== h.row) errors.push({ row: r, column: IMPORT_COLUMNS.relation, reason: '同户其他行有误,整户未导入' });
          continue;
        }
        written.push(h);
      }
      await this.insert(client, written, sealed, opts);
      await client.query('COMMIT');
      return { written, skipped, errors };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async insert(client: PoolClient, households: ImportHousehold[], sealed: Map<ImportHousehold, SealedMember[]>, opts: ImportOptions) {
    if (households.length === 0) return;
    // Numbers come from their own short transaction (pool, autocommit): holding the villages'
    // counter rows for a whole batch would serialise concurrent batches. A failed batch leaves a gap.
    const numbers = await this.allocateNumbers(this.pool, households);
    const now = new Date();
    const hRows: unknown[][] = [];
    const mRows: unknown[][] = [];
    const aRows: unknown[][] = [];
    const oRows: unknown[][] = [];
    households.forEach((h, i) => {
      const id = uuidv7();
      const number = numbers[i];
      const head = h.members.find((m) => m.relation === 'HEAD')!;
      hRows.push([id, number, h.villageCode, head.name, h.status, h.attribute, h.mainCause, h.secondaryCauses, h.identifiedYear, h.exitYear, h.monitoringType, h.monitoredSince, h.address, h.members.length, 1, now, now]);
      const people = sealed.get(h)!;
      h.members.forEach((m, j) => {
        const s = people[j];
        mRows.push([s.id, id, m.name, s.hash, s.hash, s.cipher, s.masked, m.relation, m.sex, m.birthDate.toISOString().slice(0, 10), m.education, m.schooling, m.health, m.labourCapacity, m.workStatus, m.medicalInsurance, m.pensionInsurance, true, now, now]);
      });
      const after = {
        number,
        villageCode: h.villageCode,
        headName: head.name,
        status: h.status,
        attribute: h.attribute,
        mainCause: h.mainCause,
        secondaryCauses: h.secondaryCauses,
        identifiedYear: h.identifiedYear,
        exitYear: h.exitYear,
        monitoringType: h.monitoringType,
        monitoredSince: h.monitoredSince,
        members: h.members.map((m, j) => ({ id: people[j].id, name: m.name, idMasked: people[j].masked, relation: m.relation })),
        source: opts.fileName,
      };
      aRows.push([opts.actor.id, opts.actor.role, 'household.imported', 'household', id, id, h.villageCode, after]);
      const event = outboxEvent(this.info.name, RegistrySubjects.householdCreated, {
        householdId: id,
        number,
        villageCode: h.villageCode,
        status: h.status,
        memberCount: h.members.length,
        origin: opts.origin,
      });
      oRows.push([event.id, event.subject, event]);
    });
    await copyRows(client, 'household', HOUSEHOLD_COLUMNS, hRows as never);
    await copyRows(client, 'member', MEMBER_COLUMNS, mRows as never);
    await copyRows(client, 'audit', AUDIT_COLUMNS, aRows as never);
    await copyRows(client, 'outbox', OUTBOX_COLUMNS, oRows as never);
  }

  private async allocateNumbers(client: Pick<Pool, 'query'>, households: ImportHousehold[]): Promise<string[]> {
    const need = new Map<string, number>();
    for (const h of households) if (!h.number) need.set(h.villageCode, (need.get(h.villageCode) ?? 0) + 1);
    const next = new Map<string, number>();
    if (need.size > 0) {
      const villages = [...need.keys()];
      const { rows } = await client.query<{ village_code: string; last: number }>(
        `INSERT INTO household_number_counter (village_code, last)
           SELECT v, n FROM unnest($1::text[], $2::int[]) AS t(v, n)
         ON CONFLICT (village_code) DO UPDATE SET last = household_number_counter.last + EXCLUDED.last
         RETURNING village_code, last`,
        [villages, villages.map((v) => need.get(v)!)],
      );
      for (const r of rows) next.set(r.village_code.trim(), Number(r.last) - need.get(r.village_code.trim())! + 1);
    }
    return households.map((h) => {
      if (h.number) return h.number;
      const n = next.get(h.villageCode)!;
      next.set(h.villageCode, n + 1);
      return h.villageCode + String(n).padStart(5, '0');
    });
  }
}
