import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { TaskQueues } from '@jingzhun/contracts';
import { CONFIG, TemporalWorkerHost, temporalTls } from '@jingzhun/platform';
import { buildWorkflowBundle } from './workflow-bundle';
import type { WorkerConfig } from './worker.config';

/** Runs workflows/ on task queue `processes`. No database access: side effects are activities. */
@Injectable()
export class WorkflowWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(WorkflowWorker.name);
  host: TemporalWorkerHost | null = null;

  constructor(@Inject(CONFIG) private readonly config: WorkerConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    let bundle = this.config.WORKFLOW_BUNDLE;
    if (!bundle) {
      this.log.log('打包工作流代码…');
      bundle = await buildWorkflowBundle(join(__dirname, '..', '..', '..', '.data', 'workflow-bundle.js'));
    }
    this.host = new TemporalWorkerHost({
      address: this.config.TEMPORAL_ADDRESS,
      tls: temporalTls(this.config),
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: TaskQueues.processes,
      workflowBundlePath: bundle,
      maxCachedWorkflows: this.config.WORKER_MAX_CACHED_WORKFLOWS,
      metricsBind: this.config.TEMPORAL_METRICS_BIND,
    });
    this.host.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host?.stop();
  }
}
