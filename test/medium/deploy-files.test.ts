import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFixtures } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { startRegistry, type RunningRegistry } from '../support/registry-app';
import { startMonitoring, startNotifications, type RunningService } from '../support/services';
import { testEngines } from '../support/engines';
import { freePort } from '../../tools/devkit/src/engines/net';
import { startNats } from '../../tools/devkit/src/engines/nats';
import type { Engine } from '../../tools/devkit/src/engines/engine';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

jest.setTimeout(120_000);
const ROOT = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** docker-compose.yml with every required variable set to a placeholder, as `docker-compose config` needs. */
function compose(args: string[]): string {
  const bin = process.env.JZ_DOCKER_COMPOSE;
  if (!bin)
    throw new Error('JZ_DOCKER_COMPOSE is not set: run through `npm test`, which installs docker-compose from Debian');
  const required = [...read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]);
  const env = {
    PATH: process.env.PATH ?? '',
    ...Object.fromEntries(required.map((v) => [v, 'placeholder-value-for-the-check'])),
  };
  return execFileSync(bin, ['-f', 'docker-compose.yml', ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

/** The operators' files agree with the code (#12): compose is valid, Prometheus scrapes what runs, the dashboard asks for metrics that exist. */
describe('deploy files', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let registry: RunningRegistry;
  let monitoring: RunningService;
  let notifications: RunningService;
  let nats: Engine;
  const dir = mkdtempSync(join(tmpdir(), 'jz-deploy-'));

  beforeAll(async () => {
    db = await freshDatabase('deployfiles');
    await seedFixtures(db.url);
    // A NATS of its own: these services' consumers must not take other files' events.
    nats = await startNats({
      bin: testEngines.natsBin,
      dataDir: join(dir, 'nats'),
      port: await freePort(),
      log: () => undefined,
    });
    registry = await startRegistry(db.url, { NATS_URL: nats.url });
    monitoring = await startMonitoring(db.url, { REGISTRY_URL: registry.baseUrl, NATS_URL: nats.url });
    notifications = await startNotifications(db.url, { REGISTRY_URL: registry.baseUrl, NATS_URL: nats.url });
  });
  afterAll(async () => {
    await notifications?.close();
    await monitoring?.close();
    await registry?.close();
    await nats?.stop?.();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('docker-compose.yml is valid (docker-compose config) and runs Prometheus and Grafana beside the services', () => {
    compose(['config', '-q']);
    const services = compose(['config', '--services']).split('\n').filter(Boolean);
    expect(services).toEqual(
      expect.arrayContaining([
        'postgres',
        'nats',
        'temporal',
        'temporal-schema',
        'registry',
        'monitoring',
        'notifications',
        'worker',
        'console',
        'prometheus',
        'grafana',
      ]),
    );
  });

  it('Temporal runs the server image on PostgreSQL, after its schema job (temporal-sql-tool), not the development auto-setup image', () => {
    const config = compose(['config']);
    expect(config).not.toContain('auto-setup');
    const temporal = /\n {2}temporal:\n((?: {4}.*\n)+)/.exec(config)?.[1] ?? '';
    expect(temporal).toContain('image: temporalio/server:');
    expect(temporal).toMatch(/temporal-schema:\n\s+condition: service_completed_successfully/);
    expect(temporal).toContain('DB: postgres12');
    const job = (/\n {2}temporal-schema:\n((?: {4}.*\n)+)/.exec(config)?.[1] ?? '').replace(/\s+/g, ' ');
    expect(job).toContain('temporal-sql-tool --plugin postgres12');
    expect(job).toContain('update-schema');
  });

  it('Prometheus scrapes each service at the port it listens on (the services on their metrics port, off the API ports)', () => {
    const targets = [...read('deploy/prometheus/prometheus.yml').matchAll(/targets: \["([a-z-]+):(\d+)"\]/g)].map(
      (m) => ({ service: m[1], port: Number(m[2]) }),
    );
    expect(targets).toEqual([
      { service: 'registry', port: 9100 },
      { service: 'monitoring', port: 9100 },
      { service: 'notifications', port: 9100 },
      { service: 'worker', port: 9464 },
      { service: 'registry', port: 9464 },
    ]);
    // The SDK's exporters listen where the targets say.
    const config = compose(['config']);
    for (const service of ['registry', 'worker'])
      expect(
        new RegExp(
          `\\n  ${service}:\\n(?:    .*\\n|      .*\\n)*?      TEMPORAL_METRICS_BIND: 0\\.0\\.0\\.0:9464`,
        ).test(config),
      ).toBe(true);
    // Every service listens for Prometheus on METRICS_PORT 9100 (compose's shared settings).
    // (Each service's block of `compose config` cut out first: no backtracking regex over the whole file.)
    const block = (service: string) =>
      config.split(/\n {2}(?=[a-z-]+:\n)/).find((b) => b.startsWith(`${service}:\n`)) ?? '';
    for (const service of ['registry', 'monitoring', 'notifications'])
      expect({ service, port: /\n\s+METRICS_PORT: ['"]?9100['"]?\n/.test(block(service)) }).toEqual({
        service,
        port: true,
      });
  });

  it('every metric the Grafana dashboard queries is one a service exposes at /metrics', async () => {
    const exposed = new Set<string>();
    for (const svc of [registry, monitoring, notifications]) {
      const text = await fetch(`${svc.baseUrl}/metrics`).then((r) => r.text());
      for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exposed.add(m[1]);
        if (m[2] === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) exposed.add(m[1] + suffix);
      }
    }
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/jingzhun.json')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    const unknown = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) =>
        [...t.expr.matchAll(/\bjingzhun_[a-z0-9_]+/g)]
          .map((m) => m[0])
          .filter((name) => !exposed.has(name))
          .map((name) => `${p.title}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
  });
});
