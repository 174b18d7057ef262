import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { CONFIG } from '../tokens';
import type { BaseConfig } from '../config/config.schema';
import { ensureConsumer, runConsumer, type DurableConsumerSpec, type EventHandler } from './consumer';
import { ensureStreams, streamName, type StreamSpec } from './streams';
import { MetricsService, perScrape } from '../metrics/metrics.service';
import { within } from '../util/within';

export const STREAM_SPECS = Symbol('STREAM_SPECS');

/**
 * Owns the NATS connection. The service starts and serves requests while NATS is down: the
 * connection is retried in the background and writes wait in the outbox until it is back.
 */
@Injectable()
export class JetStreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(JetStreamService.name);
  private nc: NatsConnection | null = null;
  private jsClient: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private readonly abort = new AbortController();
  private ready: Promise<void>;
  private resolveReady!: () => void;
  private readonly consumers: Promise<void>[] = [];

  private readonly specs: DurableConsumerSpec[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(STREAM_SPECS) private readonly streams: StreamSpec[],
    @Optional() metrics?: MetricsService,
  ) {
    this.ready = new Promise((r) => (this.resolveReady = r));
    if (metrics) this.registerMetrics(metrics);
  }

  /** Consumer lag of this service's durables and the dead-letter count, read from JetStream at each scrape (none while NATS is unreachable). */
  private registerMetrics(metrics: MetricsService): void {
    // One round of consumer-info requests feeds both lag gauges of a scrape.
    const infos = perScrape(async () => {
      if (!this.jsm || !this.isConnected()) return [];
      return Promise.all(
        this.specs.map(async (spec) => ({
          spec,
          info: await this.jsm!.consumers.info(streamName(this.prefix, spec.stream), spec.durable).catch(() => null),
        })),
      );
    });
    metrics.gauge(
      'jingzhun_jetstream_consumer_pending',
      'Messages not yet delivered to this durable consumer',
      ['consumer'],
      async (g) => {
        for (const { spec, info } of await infos()) if (info) g.set({ consumer: spec.durable }, info.num_pending);
      },
    );
    metrics.gauge(
      'jingzhun_jetstream_consumer_ack_pending',
      'Messages delivered and not yet acknowledged',
      ['consumer'],
      async (g) => {
        for (const { spec, info } of await infos()) if (info) g.set({ consumer: spec.durable }, info.num_ack_pending);
      },
    );
    const dlq = this.streams.find((s) => s.name === 'DLQ');
    if (dlq) {
      metrics.gauge('jingzhun_dead_letters', 'Messages in the dead-letter stream', [], async (g) => {
        if (!this.jsm || !this.isConnected()) return;
        const info = await this.jsm.streams.info(streamName(this.prefix, dlq.name)).catch(() => null);
        if (info) g.set(info.state.messages);
      });
    }
  }

  onModuleInit(): void {
    void this.connectLoop();
  }

  get prefix(): string {
    return this.config.NATS_STREAM_PREFIX;
  }

  /** The client, or null while NATS has never been reached. */
  js(): JetStreamClient | null {
    return this.jsClient;
  }

  isConnected(): boolean {
    return this.nc !== null && !this.nc.isClosed() && this.jsClient !== null;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Round trip to the server; used by readiness. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    if (!this.nc) return false;
    try {
      return await within(
        this.nc.flush().then(() => true),
        timeoutMs,
        false,
      );
    } catch {
      return false;
    }
  }

  /** Creates the durable consumer (idempotently) and runs it until shutdown. */
  consume(spec: DurableConsumerSpec, handler: EventHandler): void {
    this.specs.push(spec);
    const task = this.ready
      .then(async () => {
        await ensureConsumer(this.jsm!, this.prefix, spec);
        while (!this.abort.signal.aborted) {
          try {
            await runConsumer(this.jsClient!, this.prefix, spec, handler, this.log, this.abort.signal);
          } catch (err) {
            if (this.abort.signal.aborted) break;
            this.log.warn(`consumer ${spec.durable} stopped: ${(err as Error).message}; restarting`);
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      })
      .catch((err) => this.log.error(`consumer ${spec.durable} could not start: ${(err as Error).message}`));
    this.consumers.push(task);
  }

  private async connectLoop(): Promise<void> {
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      try {
        const nc = await connect({
          servers: this.config.NATS_URL.split(','),
          name: this.config.NATS_USER ?? 'jingzhun',
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          timeout: 2000,
          ...(this.config.NATS_USER ? { user: this.config.NATS_USER, pass: this.config.NATS_PASSWORD } : {}),
          ...(this.config.NATS_TLS_CA_FILE ? { tls: { caFile: this.config.NATS_TLS_CA_FILE } } : {}),
        });
        this.jsm = await jetstreamManager(nc);
        await ensureStreams(this.jsm, this.prefix, this.streams, this.config.NATS_STREAM_REPLICAS);
        this.nc = nc;
        this.jsClient = jetstream(nc, { timeout: 5000 });
        this.log.log(`已连接 NATS ${this.config.NATS_URL}`);
        this.resolveReady();
        return;
      } catch (err) {
        attempt++;
        if (attempt === 1 || attempt % 30 === 0) this.log.warn(`NATS 不可达 (${(err as Error).message}); 将重试`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await within(Promise.allSettled(this.consumers), 2000, undefined);
    if (this.nc) await this.nc.drain().catch(() => this.nc?.close());
  }
}
