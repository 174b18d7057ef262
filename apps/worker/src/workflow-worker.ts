import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import { TaskQueues } from '@jingzhun/contracts';
import { CONFIG, memoryBudgetMiB, TemporalWorkerHost, temporalTls, workerSizing } from '@jingzhun/platform';
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
    const { budgetMiB, source } = memoryBudgetMiB(this.config.WORKER_MEMORY_BUDGET_MB);
    const sizing = workerSizing({ budgetMiB, perWorkflowKiB: this.config.WORKER_KIB_PER_WORKFLOW });
    const cache = this.config.WORKER_MAX_CACHED_WORKFLOWS ?? sizing.maxCachedWorkflows;
    this.log.log(
      `内存预算 ${budgetMiB} MiB (${source}): 缓存 ${cache} 个工作流, 并发 ${sizing.maxConcurrentWorkflowTaskExecutions} 个工作流任务 (${sizing.basis})`,
    );
    this.host = new TemporalWorkerHost({
      address: this.config.TEMPORAL_ADDRESS,
      tls: temporalTls(this.config),
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: TaskQueues.processes,
      workflowBundlePath: bundle,
      maxCachedWorkflows: cache,
      maxConcurrentWorkflowTaskExecutions: sizing.maxConcurrentWorkflowTaskExecutions,
      metricsBind: this.config.TEMPORAL_METRICS_BIND,
    });
    this.host.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host?.stop();
  }
}
