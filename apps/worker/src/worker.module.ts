import { DynamicModule, Module } from '@nestjs/common';
import { CONFIG, TracingLifecycle } from '@jingzhun/platform';
import { WorkerHealth } from './worker-health';
import { WorkflowWorker } from './workflow-worker';
import type { WorkerConfig } from './worker.config';

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      providers: [{ provide: CONFIG, useValue: config }, WorkflowWorker, WorkerHealth, TracingLifecycle],
      exports: [WorkflowWorker],
    };
  }
}
