import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsService, perScrape } from '@jingzhun/platform';
import { MetricsStore } from './metrics.store';

/**
 * What a county wants on a wall, read from the registry at each scrape: open and overdue tasks and
 * overdue revisits by township, cases in flight by kind, the outbox's backlog and the age of its
 * oldest row; and a counter of decisions applied, by kind, step and decision.
 */
@Injectable()
export class RegistryMetrics implements OnModuleInit {
  decisions!: Counter<'kind' | 'step' | 'decision'>;

  constructor(
    private readonly metrics: MetricsService,
    private readonly store: MetricsStore,
  ) {}

  onModuleInit(): void {
    const m = this.metrics;
    this.decisions = m.counter(
      'jingzhun_decisions_total',
      'Task decisions applied, by procedure kind, step and decision',
      ['kind', 'step', 'decision'],
    );
    // One query feeds the three task gauges of a scrape, one the two outbox gauges.
    const byTownship = perScrape(() => this.store.tasksByTownship());
    const outbox = perScrape(() => this.store.outbox());
    m.gauge('jingzhun_open_tasks', 'Open tasks by township', ['township'], async (g) => {
      for (const r of await byTownship()) g.set({ township: r.township }, r.open);
    });
    m.gauge('jingzhun_overdue_tasks', 'Overdue procedure tasks by township', ['township'], async (g) => {
      for (const r of await byTownship()) g.set({ township: r.township }, r.overdue);
    });
    m.gauge('jingzhun_overdue_revisits', 'Overdue revisits by township', ['township'], async (g) => {
      for (const r of await byTownship()) g.set({ township: r.township }, r.overdue_revisits);
    });
    m.gauge('jingzhun_cases_in_flight', 'Open cases by kind', ['kind'], async (g) => {
      for (const r of await this.store.casesInFlight()) g.set({ kind: r.kind }, r.n);
    });
    m.gauge('jingzhun_outbox_backlog', 'Outbox rows not yet published to NATS', [], async (g) => {
      const [o] = await outbox();
      g.set(o.backlog);
    });
    m.gauge(
      'jingzhun_outbox_oldest_age_seconds',
      'Age of the oldest unpublished outbox row (0 when none)',
      [],
      async (g) => {
        const [o] = await outbox();
        g.set(o.oldest_seconds ?? 0);
      },
    );
  }
}
