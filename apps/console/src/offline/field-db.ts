import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * What the phone keeps for field work (#24), in IndexedDB: the outbox of records made without signal
 * (with their photos), and the day's data (open tasks, the user's households, the forms' facts). Only
 * for the signed-in user; all of it is deleted on sign-out.
 */
export type OutboxState = 'waiting' | 'sending' | 'retrying' | 'conflict' | 'invalid';

export interface OutboxPhoto {
  id: string;
  label: string;
  blob: Blob;
}

export interface OutboxItem {
  /** Also the request's Idempotency-Key: a resend is the same request. */
  id: string;
  userId: string;
  kind: 'revisit' | 'verification-visit' | 'campaign-verification';
  /** What the list shows: the form and the household. */
  form: string;
  household: string;
  householdId: string;
  /** The task it records (revisit) or the campaign and household (逐户核查). */
  taskId?: string;
  caseId?: string;
  campaignId?: string;
  /** The registry path the record is posted to, and its body (recordedAt and photoIds are added when sent). */
  path: string;
  body: Record<string, unknown>;
  /**
   * 入户核实: the household's assessment, posted first (its own Idempotency-Key, `<id>.a`); its id goes into the
   * decision's `data.assessmentId`. Kept once posted, so a resend does not post it again.
   */
  assessment?: Record<string, unknown>;
  assessmentId?: string;
  /** The form's values as entered: a conflict re-opens the form with them. */
  values: Record<string, unknown>;
  recordedAt: string;
  photos: OutboxPhoto[];
  uploaded: string[];
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  error?: { status: number; code: string; message: string };
  createdAt: number;
}

export interface CachedQueries {
  key: 'queries';
  userId: string;
  savedAt: number;
  state: unknown;
}

interface FieldSchema extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { byUser: string } };
  cache: { key: string; value: CachedQueries };
}

const NAME = 'jingzhun-field';
let db: Promise<IDBPDatabase<FieldSchema>> | null = null;

export function fieldDb(): Promise<IDBPDatabase<FieldSchema>> {
  db ??= openDB<FieldSchema>(NAME, 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byUser', 'userId');
      d.createObjectStore('cache', { keyPath: 'key' });
    },
    // Another tab deleting the database (a sign-out there): let it, and open afresh next time.
    blocking() {
      void db?.then((d) => d.close());
      db = null;
    },
  });
  return db;
}

/** Sign-out: the outbox, the photos and the day's data leave the phone. */
export async function clearFieldData(): Promise<void> {
  const open = db;
  db = null;
  if (open) (await open.catch(() => null))?.close();
  await deleteDB(NAME);
}
