import type { Client } from '@temporalio/client';

/** Whether Temporal has a run of this workflow id. A Temporal that cannot answer throws (the caller answers 503). */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}
