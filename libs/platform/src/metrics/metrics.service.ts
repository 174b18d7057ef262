import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Server } from 'node:http';
import { serveMetrics } from './metrics-port';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SERVICE_INFO, type ServiceInfo } from '../tokens';

/** Route templates only (`/tasks/:id/decision`), never a path with an id in it: labels carry no identifiers. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  return route ? `${req.baseUrl ?? ''}${route}` : 'unmatched';
}

/**
 * One read shared by the gauges of a scrape: calls within `ms` of the read that started it get its
 * answer, a later call reads again. A failed read is not kept. No timer is left behind.
 */
export function perScrape<T>(read: () => Promise<T>, ms = 1000, now: () => number = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const t = now();
    if (last && t - last.at < ms) return last.value;
    const entry = { at: t, value: read() };
    last = entry;
    entry.value.catch(() => {
      if (last === entry) last = null;
    });
    return entry.value;
  };
}

/**
 * The service's Prometheus metrics, served at GET /metrics: the process (CPU, memory, event-loop
 * lag, GC), HTTP latency by route and status, and what the service adds (business gauges collected
 * at scrape time). One registry per app, so several apps in one process (the tests) do not clash.
 * No label holds an ID number, a name or a household number: regions, kinds, steps and statuses only.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  readonly registry = new Registry();
  private port: Promise<Server | null> | null = null;

  /** Serves /metrics on its own port (METRICS_PORT), for the app's lifetime. */
  serveOn(port: number, host: string): void {
    this.port ??= serveMetrics(this.registry, port, host).catch((err: Error) => {
      new Logger('Metrics').error(`/metrics on ${host}:${port} failed: ${err.message}`);
      return null;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = await this.port;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private readonly http: Histogram<'method' | 'route' | 'status'>;

  constructor(@Inject(SERVICE_INFO) service: ServiceInfo) {
    this.registry.setDefaultLabels({ service: service.name });
    collectDefaultMetrics({ register: this.registry, prefix: 'jingzhun_' });
    this.http = new Histogram({
      name: 'jingzhun_http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
  }

  /** Express middleware timing every request until its answer is written. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.http.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
      next();
    };
  }

  counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge whose values are read when Prometheus scrapes (`collect` sets them). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    collect: (g: Gauge<L>) => Promise<void>,
  ): Gauge<L> {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });
  }
}
