import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { type JournalEvent, type JournalSchema, PG_POOL, uuidv7, writeJournal } from '@jingzhun/platform';
import type { Actor } from '@jingzhun/contracts';
import { copyRows, type CopyValue } from './copy.store';
import type { RowError } from './import-validation';

const HOUSEHOLD_COLUMNS = [
  'id',
  'number',
  'village_code',
  'head_name',
  'status',
  'attribute',
  'main_cause',
  'secondary_causes',
  'identified_year',
  'exit_year',
  'monitoring_type',
  'monitored_since',
  'address',
  'member_count',
  'version',
  'created_at',
  'updated_at',
];
const MEMBER_COLUMNS = [
  'id',
  'household_id',
  'name',
  'id_hash',
  'active_id_hash',
  'id_cipher',
  'id_masked',
  'relation',
  'sex',
  'birth_date',
  'education',
  'schooling',
  'health',
  'labour_capacity',
  'work_status',
  'medical_insurance',
  'pension_insurance',
  'active',
  'created_at',
  'updated_at',
];
const AUDIT_COLUMNS = [
  'actor_id',
  'actor_role',
  'action',
  'entity',
  'entity_id',
  'household_id',
  'region_code',
  'after',
];
const OUTBOX_COLUMNS = ['id', 'subject', 'payload'];

/** The rows of one batch, in the column order of the constants above. */
export interface ImportBatchRows {
  households: CopyValue[][];
  members: CopyValue[][];
  audits: CopyValue[][];
  events: CopyValue[][];
}

export interface ImportJobRow {
  id: string;
  file_name: string;
  status: string;
  total_rows: number;
  ok_rows: number;
  error_rows: number;
  errors: RowError[];
  started_by: string;
  region_code: string;
  created_at: Date;
  finished_at: Date | null;
}

/**
 * The import's SQL: the job row, and the bulk path. Plain `pg`, not Prisma, on purpose (README
 * "Data access"): COPY has no Prisma API, and a batch's COPY statements must share one pg client
 * and transaction. Nothing here mixes with a Prisma transaction.
 */
@Injectable()
export class ImportStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async villageCodes(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ code: string }>(`SELECT code FROM region WHERE level = 'VILLAGE'`);
    return new Set(rows.map((r) => r.code));
  }

  async startJob(fileName: string, actor: Actor): Promise<string> {
    const id = uuidv7();
    await this.pool.query(
      `INSERT INTO import_job (id, file_name, status, started_by, region_code) VALUES ($1, $2, 'RUNNING', $3, $4)`,
      [id, fileName, actor.id, actor.regionCode],
    );
    return id;
  }

  async job(id: string): Promise<ImportJobRow | null> {
    const { rows } = await this.pool.query<ImportJobRow>(`SELECT * FROM import_job WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async setTotal(id: string, totalRows: number): Promise<void> {
    await this.pool.query(`UPDATE import_job SET total_rows = $2 WHERE id = $1`, [id, totalRows]);
  }

  async setProgress(id: string, okRows: number, errorRows: number): Promise<void> {
    await this.pool.query(`UPDATE import_job SET ok_rows = $2, error_rows = $3 WHERE id = $1`, [id, okRows, errorRows]);
  }

  /** The job's end, its audit entry and its imports.finished event: one transaction. */
  async finishJob(
    id: string,
    report: { okRows: number; errorRows: number; errors: RowError[] },
    actor: Actor,
    audit: Record<string, unknown>,
    event: JournalEvent,
    journal: JournalSchema,
  ): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query(
        `UPDATE import_job SET status = 'DONE', ok_rows = $2, error_rows = $3, errors = $4, finished_at = now() WHERE id = $1`,
        [id, report.okRows, report.errorRows, JSON.stringify(report.errors)],
      );
      const exec = (text: string, values: unknown[]) => client.query(text, values);
      await writeJournal(exec, journal, actor, [
        { entry: { action: 'import.finished', entity: 'import_job', entityId: id, after: audit }, event },
      ]);
    });
  }

  async failJob(id: string, reason: string): Promise<void> {
    await this.pool.query(`UPDATE import_job SET status = 'FAILED', finished_at = now(), errors = $2 WHERE id = $1`, [
      id,
      JSON.stringify([{ row: 0, column: '', reason }]),
    ]);
  }

  /** Runs `work` in one transaction on one pooled client (a batch: its reads, then its COPYs). */
  async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Which of these people (ID-number hashes) are active members, and of which household. */
  async activeMembers(client: PoolClient, hashes: string[]) {
    const { rows } = await client.query<{ hash: string; household_id: string; number: string; village_code: string }>(
      `SELECT m.active_id_hash AS hash, m.household_id, h.number, h.village_code FROM member m JOIN household h ON h.id = m.household_id WHERE m.active_id_hash = ANY($1)`,
      [hashes],
    );
    return new Map(rows.map((a) => [a.hash, a]));
  }

  async takenNumbers(client: PoolClient, numbers: string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const { rows } = await client.query<{ number: string }>(`SELECT number FROM household WHERE number = ANY($1)`, [
      numbers,
    ]);
    return new Set(rows.map((r) => r.number));
  }

  /** COPY of a batch into household, member, audit and outbox, inside the batch's transaction. */
  async copyBatch(client: PoolClient, rows: ImportBatchRows): Promise<void> {
    await copyRows(client, 'household', HOUSEHOLD_COLUMNS, rows.households);
    await copyRows(client, 'member', MEMBER_COLUMNS, rows.members);
    await copyRows(client, 'audit', AUDIT_COLUMNS, rows.audits);
    await copyRows(client, 'outbox', OUTBOX_COLUMNS, rows.events);
  }

  /**
   * The next household numbers of each village, from its own short autocommit statement: holding
   * the villages' counter rows for a whole batch would serialise concurrent batches. A failed batch
   * leaves a gap in the numbers, never a duplicate. Returns, per village, the first number to use.
   */
  async reserveNumbers(need: Map<string, number>): Promise<Map<string, number>> {
    const next = new Map<string, number>();
    if (need.size === 0) return next;
    const villages = [...need.keys()];
    const { rows } = await this.pool.query<{ village_code: string; last: number }>(
      `INSERT INTO household_number_counter (village_code, last)
         SELECT v, n FROM unnest($1::text[], $2::int[]) AS t(v, n)
       ON CONFLICT (village_code) DO UPDATE SET last = household_number_counter.last + EXCLUDED.last
       RETURNING village_code, last`,
      [villages, villages.map((v) => need.get(v)!)],
    );
    for (const r of rows) next.set(r.village_code.trim(), Number(r.last) - need.get(r.village_code.trim())! + 1);
    return next;
  }
}
