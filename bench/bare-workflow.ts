import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * Baseline for `npm run bench:procedures` only: the bare cost of a workflow start and an update
 * round trip on the same server, with no activities and no database. Never started by the product.
 */
export const bareUpdate = defineUpdate<{ ok: true; n: number }, [number]>('bare');

export async function benchBareWorkflow(): Promise<void> {
  let done = false;
  setHandler(bareUpdate, (n) => {
    done = true;
    return { ok: true, n };
  });
  await condition(() => done);
}
