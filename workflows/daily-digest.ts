import { proxyActivities } from '@temporalio/workflow';
import { TaskQueues, type NotificationActivities } from '@jingzhun/contracts/src/workflow';

const notifications = proxyActivities<NotificationActivities>({
  taskQueue: TaskQueues.notifications,
  startToCloseTimeout: '5m',
  retry: { maximumAttempts: 10 },
});

/** Started by the Schedule `notifications-daily-digest` (08:00 CST): one digest per overloaded cadre. */
export async function dailyDigestWorkflow(): Promise<{ digests: number; revisitReminders?: number }> {
  return notifications.sendDigests({ at: new Date().toISOString() });
}
