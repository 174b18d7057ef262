import { dehydrate, hydrate, type QueryClient } from '@tanstack/react-query';
import { OFFLINE_KEEP_HOURS } from '@jingzhun/domain/src/offline-policy';
import { data, registry } from '../api/http';
import { session } from '../auth/session';
import { fieldDb } from './field-db';

/**
 * The day's data on the phone (#24), for those who work in the villages (village cadres, helpers):
 * the open tasks, their households (members masked as the API masks them for the role, the last
 * assessment) and what each task's form shows. Only these queries are kept, only for the signed-in
 * user, dropped after OFFLINE_KEEP_HOURS without a refresh and on sign-out.
 */
const KEPT = new Set(['tasks', 'households', 'household', 'case', 'case-evidence', 'case-photos']);
const FIELD_ROLES = new Set(['village', 'helper']);
const KEEP_MS = OFFLINE_KEEP_HOURS * 3_600_000;

export const isFieldUser = () => FIELD_ROLES.has(session.user()?.role ?? '');
const kept = (key: readonly unknown[]) => KEPT.has(String(key[0])) && key[1] !== 'history';

/** Puts the kept data back in the query cache at start; returns when it was saved (null: nothing, or too old). */
export async function restoreDay(qc: QueryClient): Promise<number | null> {
  const user = session.user();
  if (!user || !isFieldUser()) return null;
  const d = await fieldDb();
  const saved = await d.get('cache', 'queries');
  if (!saved) return null;
  if (saved.userId !== user.id || Date.now() - saved.savedAt > KEEP_MS) {
    await d.delete('cache', 'queries');
    return null;
  }
  hydrate(qc, saved.state as Parameters<typeof hydrate>[1]);
  return saved.savedAt;
}

/** Saves the kept queries a second after they change (successful answers only). */
export function keepDay(qc: QueryClient): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = async () => {
    timer = null;
    const user = session.user();
    if (!user || !isFieldUser()) return;
    const state = dehydrate(qc, {
      shouldDehydrateQuery: (q) => q.state.status === 'success' && kept(q.queryKey),
    });
    await (await fieldDb()).put('cache', { key: 'queries', userId: user.id, savedAt: Date.now(), state });
  };
  return qc.getQueryCache().subscribe((e) => {
    if (e.type !== 'updated' || e.action.type !== 'success' || !kept(e.query.queryKey)) return;
    if (!timer) timer = setTimeout(() => void save().catch(() => undefined), 1000);
  });
}

let lastPrefetch = 0;
/**
 * While online, loads what a day in the villages needs before the signal goes: the open tasks, my
 * households, and for each household with an open task its detail and the task's case (at most 30),
 * one request at a time (a weak link stays usable for the page). Once every 10 minutes at most.
 */
export async function prefetchDay(qc: QueryClient, restoredAt: number | null = null): Promise<void> {
  // Also not when the phone's copy is younger than that (a reload, the app opened again): the pages refresh what they show.
  const last = Math.max(lastPrefetch, restoredAt ?? 0);
  if (!navigator.onLine || !isFieldUser() || Date.now() - last < 600_000) return;
  lastPrefetch = Date.now();
  const tasks = await qc.fetchQuery({
    queryKey: ['tasks', 'helper'],
    queryFn: () => data(registry.GET('/tasks', { params: { query: { status: 'open', page: 1, pageSize: 100 } } })),
  });
  await qc.prefetchQuery({
    queryKey: ['households', 'mine', null],
    queryFn: () => data(registry.GET('/households', { params: { query: { page: 1, pageSize: 200 } } })),
  });
  const owed = tasks.items.filter((t) => t.householdId).slice(0, 30);
  for (const t of owed) {
    await qc.prefetchQuery({
      queryKey: ['case', t.caseId],
      queryFn: () => data(registry.GET('/cases/{id}', { params: { path: { id: t.caseId } } })),
    });
    await qc.prefetchQuery({
      queryKey: ['household', t.householdId],
      queryFn: () => data(registry.GET('/households/{id}', { params: { path: { id: t.householdId! } } })),
    });
  }
}
