import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { temporalTls } from './tls';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { BaseConfig } from '../config/config.schema';
import { CONFIG } from '../tokens';

/**
 * One Temporal client per service, connected at start and retried in the background, so the
 * service starts even when Temporal is not up yet. Requests share the connection; a connect
 * attempt is never raced by a second one (a timed-out attempt's retry timer would otherwise
 * fire on a closed channel under load).
 */
@Injectable()
export class TemporalClientService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(TemporalClientService.name);
  private connection: Connection | null = null;
  private connecting: Promise<Connection> | null = null;
  private cached: Client | null = null;
  private closed = false;

  constructor(@Inject(CONFIG) private readonly config: BaseConfig) {}

  onApplicationBootstrap(): void {
    void this.connect().catch(() => undefined);
  }

  async client(): Promise<Client> {
    if (this.cached) return this.cached;
    const connection = await this.connect();
    // Starts, signals and updates carry the caller's trace context to the workflow (a no-op while tracing is off).
    this.cached = new Client({
      connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    });
    return this.cached;
  }

  connect(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    if (!this.connecting) {
      this.connecting = (async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            const c = await Connection.connect({
              address: this.config.TEMPORAL_ADDRESS,
              tls: temporalTls(this.config),
            });
            if (this.closed) {
              await c.close();
              throw new Error('shutting down');
            }
            this.connection = c;
            return c;
          } catch (err) {
            if (this.closed || attempt >= 3) {
              this.connecting = null;
              throw err;
            }
            this.log.warn(`Temporal ${this.config.TEMPORAL_ADDRESS} 连接失败 (${(err as Error).message}); 重试`);
            await new Promise((r) => setTimeout(r, 500 * attempt));
          }
        }
      })();
    }
    return this.connecting;
  }

  async ping(timeoutMs = 1500): Promise<boolean> {
    try {
      const connection = await this.connect();
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const c = this.connection;
    this.connection = null;
    this.cached = null;
    await c?.close().catch(() => undefined);
  }
}
