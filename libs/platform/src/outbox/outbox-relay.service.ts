import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import type { BaseConfig } from '../config/config.schema';
import { JetStreamService } from '../nats/jetstream.service';
import { CONFIG, PG_POOL, SERVICE_INFO, type ServiceInfo } from '../tokens';
import { OutboxRelay } from './outbox-relay';

@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(OutboxRelayService.name);
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  readonly relay: OutboxRelay;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    @Inject(CONFIG) private readonly config: BaseConfig,
    jetStream: JetStreamService,
  ) {
    this.relay = new OutboxRelay({
      pool,
      schema: info.schema,
      js: () => jetStream.js(),
      log: { warn: (obj, msg) => this.log.warn({ ...obj }, msg) },
    });
  }

  onApplicationBootstrap(): void {
    this.running = this.relay.run(this.abort.signal, this.config.OUTBOX_POLL_MS);
  }

  /** Stops before any onApplicationShutdown hook closes the pool or the NATS connection. */
  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.running;
  }
}
