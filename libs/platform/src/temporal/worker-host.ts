import { Logger } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { installTemporalRuntime } from './runtime';

export interface WorkerHostOptions {
  address: string;
  namespace: string;
  /** mTLS (temporalTls(config)); unset = plain. */
  tls?: ReturnType<typeof import('./tls').temporalTls>;
  taskQueue: string;
  activities?: object;
  workflowBundlePath?: string;
  maxConcurrentActivityTaskExecutions?: number;
  /** The sticky cache's bound: workflows kept in memory between their tasks (the rest replay on their next task). */
  maxCachedWorkflows?: number;
  /** Workflow tasks run at once (with the cache, from the memory budget: workerSizing). */
  maxConcurrentWorkflowTaskExecutions?: number;
  /** host:port for the SDK's Prometheus exporter (TEMPORAL_METRICS_BIND); one per process. */
  metricsBind?: string;
}

/** Each activity runs in a span, child of the trace its workflow relayed in its headers (workflows/tracing-interceptors.ts). */
export function activityTraceInterceptors(): WorkerOptions['interceptors'] {
  return {
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
  };
}

/**
 * Hosts one Temporal worker inside a Nest service (STYLE.md): created and run once the
 * connection is up (retried in the background, so the service starts without Temporal), and on
 * shutdown `shutdown()` then await the run promise, so in-flight activities finish cleanly.
 */
export class TemporalWorkerHost {
  private readonly log: Logger;
  private worker: Worker | null = null;
  private connection: NativeConnection | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readyResolve!: () => void;
  readonly ready = new Promise<void>((r) => (this.readyResolve = r));

  constructor(private readonly opts: WorkerHostOptions) {
    this.log = new Logger(`TemporalWorker(${opts.taskQueue})`);
  }

  start(): void {
    installTemporalRuntime(this.opts.metricsBind);
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        this.connection = await NativeConnection.connect({ address: this.opts.address, tls: this.opts.tls });
        const options: WorkerOptions = {
          connection: this.connection,
          namespace: this.opts.namespace,
          taskQueue: this.opts.taskQueue,
          activities: this.opts.activities,
          maxConcurrentActivityTaskExecutions: this.opts.maxConcurrentActivityTaskExecutions,
          maxCachedWorkflows: this.opts.maxCachedWorkflows,
          maxConcurrentWorkflowTaskExecutions: this.opts.maxConcurrentWorkflowTaskExecutions,
          shutdownGraceTime: '10s',
        };
        if (this.opts.workflowBundlePath) options.workflowBundle = { codePath: this.opts.workflowBundlePath };
        if (this.opts.activities) options.interceptors = activityTraceInterceptors();
        this.worker = await Worker.create(options);
        if (this.stopped) return;
        this.log.log(`任务队列 ${this.opts.taskQueue} 已开始处理`);
        this.readyResolve();
        await this.worker.run();
        return;
      } catch (err) {
        if (this.stopped) return;
        attempt++;
        if (attempt === 1 || attempt % 20 === 0)
          this.log.warn(`Temporal ${this.opts.address} 不可用 (${(err as Error).message}); 将重试`);
        await this.connection?.close().catch(() => undefined);
        this.connection = null;
        await new Promise((r) => setTimeout(r, Math.min(3000, 300 * attempt)));
      }
    }
  }

  /** The SDK worker's state (RUNNING once it polls), or CONNECTING while Temporal has not been reached. */
  state(): string {
    return this.worker?.getState() ?? 'CONNECTING';
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
