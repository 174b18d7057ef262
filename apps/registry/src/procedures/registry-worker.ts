import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { TaskQueues } from '@jingzhun/contracts';
import { CONFIG, TemporalWorkerHost, type BaseConfig, temporalTls } from '@jingzhun/platform';
import { CampaignActivitiesService } from '../campaigns/campaign-activities';
import { MonitoringSupportActivities } from './monitoring-activities';
import { RegistryActivitiesService } from './registry-activities';

/** Hosts the registry's activities on task queue `registry` (the service that owns the data runs them). */
@Injectable()
export class RegistryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly host: TemporalWorkerHost;

  constructor(
    @Inject(CONFIG) config: BaseConfig,
    activities: RegistryActivitiesService,
    monitoring: MonitoringSupportActivities,
    campaigns: CampaignActivitiesService,
  ) {
    this.host = new TemporalWorkerHost({
      address: config.TEMPORAL_ADDRESS,
      tls: temporalTls(config),
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: TaskQueues.registry,
      activities: { ...activities.activities(), ...monitoring.activities(), ...campaigns.activities() },
      maxConcurrentActivityTaskExecutions: Math.max(2, config.DB_POOL_SIZE - 5),
      metricsBind: config.TEMPORAL_METRICS_BIND,
    });
  }

  onApplicationBootstrap(): void {
    this.host.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host.stop();
  }
}
