import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { TaskQueues, WorkflowTypes } from '@jingzhun/contracts';
import {
  CONFIG,
  TemporalClientService,
  TemporalWorkerHost,
  type MonitoringConfig,
  temporalTls,
} from '@jingzhun/platform';
import { ScanActivities } from './scans';

export const SCAN_SCHEDULE_ID = 'monitoring-monthly-scan';

/** Hosts the monitoring activities (queue `monitoring`) and keeps the monthly scan's Schedule. */
@Injectable()
export class MonitoringWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(MonitoringWorker.name);
  private readonly host: TemporalWorkerHost;

  constructor(
    scans: ScanActivities,
    private readonly temporal: TemporalClientService,
    @Inject(CONFIG) private readonly config: MonitoringConfig,
  ) {
    this.host = new TemporalWorkerHost({
      address: config.TEMPORAL_ADDRESS,
      tls: temporalTls(config),
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: TaskQueues.monitoring,
      activities: scans.activities(),
      metricsBind: config.TEMPORAL_METRICS_BIND,
    });
  }

  onApplicationBootstrap(): void {
    this.host.start();
    void this.ensureSchedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host.stop();
  }

  private async ensureSchedule(): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.schedule.create({
        scheduleId: SCAN_SCHEDULE_ID,
        spec: { cronExpressions: [this.config.SCAN_CRON], timezone: 'Asia/Shanghai' },
        action: {
          type: 'startWorkflow',
          workflowType: WorkflowTypes.riskScan,
          taskQueue: TaskQueues.processes,
          args: [{ pageSize: this.config.SCAN_PAGE_SIZE }],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
      this.log.log(`schedule ${SCAN_SCHEDULE_ID} created (${this.config.SCAN_CRON}, Asia/Shanghai)`);
    } catch (err) {
      if ((err as { name?: string }).name !== 'ScheduleAlreadyRunning')
        this.log.warn(`scan schedule not created: ${(err as Error).message}`);
    }
  }
}
