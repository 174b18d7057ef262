import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { TaskQueues, WorkflowTypes, type NotificationActivities } from '@jingzhun/contracts';
import {
  CONFIG,
  TemporalClientService,
  TemporalWorkerHost,
  type NotificationsConfig,
  temporalTls,
} from '@jingzhun/platform';
import { DeliveryStore } from './delivery.store';
import { cstDate, templates } from './templates';

export const DIGEST_SCHEDULE_ID = 'notifications-daily-digest';
/** Revisits due within this many days are in the morning's reminder (the revisit policy's reminderBeforeDays). */
export const REVISIT_REMINDER_DAYS = 7;

/**
 * 每日待办汇总: a cadre with more open items than DIGEST_THRESHOLD gets one digest a day (in-app and
 * e-mail), and every helper with revisits due within the week one reminder (in-app and SMS), run by
 * a Temporal Schedule at 08:00 China Standard Time through activity `sendDigests` on queue
 * `notifications`. One of each per user per day, however often it runs.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(DigestService.name);
  private host: TemporalWorkerHost | null = null;

  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly temporal: TemporalClientService,
    @Inject(CONFIG) private readonly config: NotificationsConfig,
  ) {}

  activities(): NotificationActivities {
    return { sendDigests: (i) => this.sendDigests(new Date(i.at)) };
  }

  onApplicationBootstrap(): void {
    this.host = new TemporalWorkerHost({
      address: this.config.TEMPORAL_ADDRESS,
      tls: temporalTls(this.config),
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: TaskQueues.notifications,
      activities: this.activities(),
      metricsBind: this.config.TEMPORAL_METRICS_BIND,
    });
    this.host.start();
    void this.ensureSchedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host?.stop();
  }

  private async ensureSchedule(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.schedule.create({
        scheduleId: DIGEST_SCHEDULE_ID,
        spec: { cronExpressions: ['0 8 * * *'], timezone: 'Asia/Shanghai' },
        action: {
          type: 'startWorkflow',
          workflowType: WorkflowTypes.dailyDigest,
          taskQueue: TaskQueues.processes,
          args: [],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
      this.log.log(`schedule ${DIGEST_SCHEDULE_ID} created (08:00 CST daily)`);
    } catch (err) {
      if ((err as { name?: string }).name !== 'ScheduleAlreadyRunning')
        this.log.warn(`digest schedule not created: ${(err as Error).message}`);
    }
  }

  async sendDigests(at: Date): Promise<{ digests: number; revisitReminders: number }> {
    const day = cstDate(at);
    const heavy = await this.deliveries.heavyUsers(this.config.DIGEST_THRESHOLD);
    let digests = 0;
    for (const u of heavy) {
      const items = await this.deliveries.oldestOpenItems(u.user_id, 10);
      const text = templates.digest({
        count: Number(u.n),
        oldestDue: u.oldest.toISOString(),
        lines: items.map((i) => `· ${i.householdNumber ?? ''} ${i.step} ${cstDate(i.dueAt)}`),
      });
      if (await this.deliveries.writeDigest(u.user_id, day, text, !!this.config.SMTP_URL)) digests++;
    }
    return { digests, revisitReminders: await this.sendRevisitReminders(at, day) };
  }

  /**
   * 回访提醒, batched per helper per day (#23): the follow-up workflows no longer remind task by task;
   * each morning a helper hears once of every revisit due within the week (the policy's
   * reminderBeforeDays for revisits), in the inbox and by SMS.
   */
  private async sendRevisitReminders(at: Date, day: string): Promise<number> {
    const until = new Date(at.getTime() + REVISIT_REMINDER_DAYS * 86_400_000);
    let sent = 0;
    for (const u of await this.deliveries.dueRevisits(at, until)) {
      const text = templates.revisitReminders({
        count: Number(u.n),
        firstDue: u.first_due.toISOString(),
        numbers: u.numbers.filter((n): n is string => !!n),
      });
      if (await this.deliveries.writeRevisitReminder(u.user_id, day, text)) sent++;
    }
    return sent;
  }
}
