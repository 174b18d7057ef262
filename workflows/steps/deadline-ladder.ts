/** One rung: what happens at `at` (ms) if the work is still owed then. */
export interface Rung {
  at: number;
  run: () => Promise<void>;
}

/**
 * The deadline ladder every owed task climbs (DESIGN.md "Deadlines"): a reminder before the due
 * date, the overdue notice at it, then escalation one level up per grace period. Each rung runs
 * only if the work was not done before its time. `waitDone(until)` waits until the work is done
 * (true) or `until` passes (false); `until` null means without limit, after the last rung.
 */
export async function climbDeadlines(
  rungs: Rung[],
  waitDone: (until: number | null) => Promise<boolean>,
): Promise<void> {
  for (const rung of rungs) {
    if (await waitDone(rung.at)) return;
    await rung.run();
  }
  await waitDone(null);
}
