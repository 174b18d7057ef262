import { useEffect, useState } from 'react';
import { ApiError, apiErrorOf } from '../api/http';
import { session } from '../auth/session';
import { fieldDb, type OutboxItem } from './field-db';
import { backoffMs, outcomeOf } from './outbox-policy';

/**
 * The phone's outbox (#24): a record made without signal (or whose send failed on the network) is
 * kept in IndexedDB with its photos and its Idempotency-Key, and sent when the network is back, in
 * the order it was made: on the `online` event, when the app is opened or shown again, and every
 * 15 s while items wait, each retry after a backoff. Not Background Sync: a send needs the user's
 * token, which the page holds and a service worker must not; the next open sends what is waiting.
 */
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
let flushing: Promise<void> | null = null;

export async function outboxItems(): Promise<OutboxItem[]> {
  const user = session.user();
  if (!user) return [];
  const items = await (await fieldDb()).getAllFromIndex('outbox', 'byUser', user.id);
  return items.sort((a, b) => a.createdAt - b.createdAt);
}

/** Puts a record in the outbox and tries to send it at once. */
export type NewRecord = Omit<OutboxItem, 'userId' | 'state' | 'attempts' | 'nextAttemptAt' | 'createdAt' | 'uploaded'>;

export async function enqueue(item: NewRecord, uploaded: string[] = []): Promise<void> {
  const user = session.user();
  if (!user) throw new Error('未登录');
  await (await fieldDb()).put('outbox', {
    ...item,
    userId: user.id,
    uploaded,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    createdAt: Date.now(),
  });
  notify();
  void flushOutbox();
}

export async function discard(id: string): Promise<void> {
  await (await fieldDb()).delete('outbox', id);
  notify();
}

/** The same entered record as a new one (a new Idempotency-Key) on another target, in place of the refused one. */
export async function resendAsNew(
  item: OutboxItem,
  patch: Pick<OutboxItem, 'path'> & Partial<OutboxItem>,
): Promise<void> {
  const d = await fieldDb();
  await d.put('outbox', {
    ...item,
    ...patch,
    id: crypto.randomUUID(),
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: undefined,
  });
  await d.delete('outbox', item.id);
  notify();
  await flushOutbox();
}

/** Sends what is due, oldest first; a retryable failure stops the run so that the order is kept. */
export function flushOutbox(): Promise<void> {
  flushing ??= run().finally(() => {
    flushing = null;
  });
  return flushing;
}

/** Whether the last look found records waiting: the 15 s timer opens the database only then. */
let waiting = false;

async function run(): Promise<void> {
  if (!navigator.onLine || !session.token()) return;
  const items = await outboxItems();
  waiting = items.length > 0;
  for (const item of items) {
    if (item.state === 'conflict' || item.state === 'invalid') continue;
    if (item.nextAttemptAt > Date.now()) return;
    const d = await fieldDb();
    await d.put('outbox', { ...item, state: 'sending' });
    notify();
    const r = await sendOne(item);
    if (r.outcome === 'sent') {
      await d.delete('outbox', item.id);
      for (const l of sentListeners) l();
    } else if (r.outcome === 'retry' || r.outcome === 'signin') {
      const attempts = item.attempts + 1;
      await d.put('outbox', {
        ...item,
        uploaded: r.uploaded,
        assessmentId: r.assessmentId ?? item.assessmentId,
        state: 'retrying',
        attempts,
        nextAttemptAt: r.outcome === 'signin' ? 0 : Date.now() + backoffMs(attempts, r.retryAfter),
        error: kept(r.error),
      });
      notify();
      return;
    } else {
      await d.put('outbox', {
        ...item,
        uploaded: r.uploaded,
        assessmentId: r.assessmentId ?? item.assessmentId,
        state: r.outcome,
        error: kept(r.error),
      });
    }
    notify();
  }
}

/** Told after each record the registry took: the pages' data is then stale (the task is done, the case moved). */
const sentListeners = new Set<() => void>();
export function onSent(listener: () => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

interface SendResult {
  outcome: ReturnType<typeof outcomeOf>;
  uploaded: string[];
  assessmentId?: string;
  /** The registry's answer when sent. */
  body?: unknown;
  retryAfter?: number | null;
  error?: ApiError;
}

/** What the item keeps of a refusal for the user: the status, the code and the registry's reason. */
const kept = (e: ApiError | undefined): OutboxItem['error'] =>
  e && { status: e.status, code: e.code, message: e.message };

async function call(path: string, init: RequestInit): Promise<{ status: number | null; res?: Response }> {
  try {
    const res = await fetch(`/api/registry${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${session.token() ?? ''}` },
    });
    return { status: res.status, res };
  } catch {
    return { status: null };
  }
}

async function failure(r: { status: number | null; res?: Response }, uploaded: string[]): Promise<SendResult> {
  return {
    outcome: outcomeOf(r.status),
    uploaded,
    retryAfter: Number(r.res?.headers.get('retry-after') ?? 0) || null,
    error: r.res ? await apiErrorOf(r.res) : new ApiError(0, 'NETWORK', '网络不可用, 稍后自动重发'),
  };
}

function putPhoto(householdId: string, p: OutboxItem['photos'][number], takenAt: string) {
  const q = new URLSearchParams({ label: p.label, takenAt });
  return call(`/households/${householdId}/photos/${p.id}?${q}`, {
    method: 'PUT',
    headers: { 'content-type': p.blob.type || 'image/jpeg' },
    body: p.blob,
  });
}

/** Sends one record now (photos first, then the record with its Idempotency-Key). */
export async function sendOne(
  item: Pick<
    OutboxItem,
    'id' | 'householdId' | 'path' | 'body' | 'recordedAt' | 'photos' | 'uploaded' | 'assessment' | 'assessmentId'
  >,
): Promise<SendResult> {
  const uploaded = [...item.uploaded];
  // Photos first, each under the id the phone gave it: a repeat stores nothing twice.
  for (const p of item.photos) {
    if (uploaded.includes(p.id)) continue;
    const r = await putPhoto(item.householdId, p, item.recordedAt);
    if (r.status !== 200) return failure(r, uploaded);
    uploaded.push(p.id);
  }
  let assessmentId = item.assessmentId;
  if (item.assessment && !assessmentId) {
    const a = await call(`/households/${item.householdId}/assessments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${item.id}.a` },
      body: JSON.stringify(item.assessment),
    });
    if (a.status !== 201) return failure(a, uploaded);
    assessmentId = ((await a.res!.json()) as { id: string }).id;
  }
  const body = assessmentId
    ? { ...item.body, data: { ...(item.body.data as Record<string, unknown>), assessmentId } }
    : item.body;
  const r = await call(item.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': item.id },
    body: JSON.stringify({
      ...body,
      recordedAt: item.recordedAt,
      ...(item.photos.length ? { photoIds: item.photos.map((p) => p.id) } : {}),
    }),
  });
  if (r.status !== null && r.status >= 200 && r.status < 300)
    return { outcome: 'sent', uploaded, assessmentId, body: await r.res!.json().catch(() => null) };
  return { ...(await failure(r, uploaded)), assessmentId };
}

let started = false;
/** Starts the sends: now, when the network returns, when the app is shown again, and every 15 s while items wait. */
export function startOutbox(): void {
  if (started) return;
  started = true;
  const kick = () => void flushOutbox().catch(() => undefined);
  window.addEventListener('online', kick);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && kick());
  session.subscribe(kick);
  setInterval(() => waiting && kick(), 15_000);
  kick();
}

/** The signed-in user's outbox, live. */
export function useOutbox(): { items: OutboxItem[]; loaded: boolean } {
  const [state, setState] = useState<{ items: OutboxItem[]; loaded: boolean }>({ items: [], loaded: false });
  useEffect(() => {
    let alive = true;
    const load = () =>
      void outboxItems()
        .then((items) => alive && setState({ items, loaded: true }))
        .catch(() => alive && setState({ items: [], loaded: true }));
    listeners.add(load);
    load();
    return () => {
      alive = false;
      listeners.delete(load);
    };
  }, []);
  return state;
}

export type FieldSubmit = { kind: 'sent'; body: unknown } | { kind: 'queued' };

/**
 * The one way a field form is submitted: offline straight into the outbox; online sent now, and if
 * the network fails on the way, into the outbox with what was already uploaded. A refusal throws the
 * registry's error for the form to show (nothing is queued: the user corrects it now).
 */
export async function submitFieldRecord(item: NewRecord): Promise<FieldSubmit> {
  if (!navigator.onLine) {
    await enqueue(item);
    return { kind: 'queued' };
  }
  const r = await sendOne({ ...item, uploaded: [] });
  if (r.outcome === 'sent') return { kind: 'sent', body: r.body };
  if (r.outcome === 'retry') {
    await enqueue({ ...item, ...(r.assessmentId ? { assessmentId: r.assessmentId } : {}) }, r.uploaded);
    return { kind: 'queued' };
  }
  throw r.error!;
}
