import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Recordings of each generation of the procedure code are kept side by side: a change behind
 * patched() adds a generation, and the older files stay to prove that cases started before it
 * still replay. Generation 2: 'decision-one-transaction' (a decision's task closes with the next write).
 * Generation 3: the procedure catalogue ('monitoring-decision-clock': 纳入监测's sign-offs fall due
 * inside the 15 days; decisions carry their data to verifyDecider; escalation chases, never decides).
 */
export const HISTORY_GENERATION = 3;

/**
 * With JZ_RECORD_HISTORIES=1 (`npm run record-histories`), a finished workflow's history is saved
 * as a replay fixture. Commit them when a procedure changes on purpose: the replay test then
 * guards every recorded path against non-deterministic changes.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.JZ_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(join(HISTORIES_DIR, `${name}@${HISTORY_GENERATION}.json`), historyToJSON(history));
}
