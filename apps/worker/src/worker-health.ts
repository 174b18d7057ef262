import { CommonError } from '@jingzhun/contracts';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import { CONFIG } from '@jingzhun/platform';
import { WorkflowWorker } from './workflow-worker';
import type { WorkerConfig } from './worker.config';

/**
 * The worker has no API, so its probes get a small server of their own at WORKER_HEALTH_PORT:
 * `/health/live` answers while the process runs; `/health/ready` answers 200 once the Temporal
 * worker polls its task queue and 503 before that (Temporal unreachable, bundle still loading) or
 * while it drains on shutdown. Same shape as the services' health answers.
 */
@Injectable()
export class WorkerHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WorkerHealth.name);
  private server: Server | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: WorkerConfig,
    private readonly worker: WorkflowWorker,
  ) {}

  onApplicationBootstrap(): Promise<void> | void {
    const port = this.config.WORKER_HEALTH_PORT;
    if (!port) return;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const send = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET')
        return send(405, { error: { code: 'METHOD_NOT_ALLOWED', message: '只支持 GET', details: {} } });
      if (path === '/health/live') return send(200, { status: 'ok' });
      if (path === '/health/ready') {
        const temporal = this.worker.host?.state() === 'RUNNING';
        return send(temporal ? 200 : 503, { status: temporal ? 'ok' : 'unavailable', checks: { temporal } });
      }
      return send(404, { error: { code: CommonError.NotFound, message: `没有 ${path}`, details: {} } });
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject).listen(port, this.config.WORKER_HEALTH_HOST, () => {
        this.log.log(`健康检查: http://${this.config.WORKER_HEALTH_HOST}:${port}/health/ready`);
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
