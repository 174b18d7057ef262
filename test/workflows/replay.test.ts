import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEngines } from '../support/engines';
import { HISTORIES_DIR } from '../support/histories';

jest.setTimeout(120_000);

/**
 * Replays every committed history of every procedure against today's workflow code. A change that
 * would break running cases (a reordered step, a new activity before an old one) fails here.
 * Intentional changes go through patched() → deprecatePatch() → removal (STYLE.md).
 */
describe('replay of recorded procedure histories', () => {
  const files = readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has a recorded history for every workflow', () => {
    const kinds = new Set(files.map((f) => f.split('--')[0]));
    expect([...kinds].sort()).toEqual([
      'alert_triage',
      'annual_adjustment',
      'daily_digest',
      'exit',
      'follow_up',
      'identification',
      'member_change',
      'monitoring_inclusion',
      'return',
      'risk_elimination',
      'risk_scan',
      'village_exit',
    ]);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: testEngines.workflowBundle } }, history, file),
    ).resolves.toBeUndefined();
  });
});
