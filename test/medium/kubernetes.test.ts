import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll, load } from 'js-yaml';

const ROOT = join(__dirname, '..', '..');
const K8S = join(ROOT, 'deploy', 'kubernetes');
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };
const docsOf = (file: string) => loadAll(readFileSync(join(K8S, file), 'utf8')) as Doc[];
const yaml = (file: string) => load(readFileSync(join(K8S, file), 'utf8')) as any;

/** deploy/kubernetes (#12 §3): valid against the Kubernetes schemas, and what a cluster run needs is there. */
describe('deploy/kubernetes', () => {
  const base = readdirSync(join(K8S, 'base')).filter((f) => f.endsWith('.yaml'));
  const resources = base.filter((f) => f !== 'kustomization.yaml').flatMap((f) => docsOf(`base/${f}`));

  it('every manifest passes kubernetes-validate --strict', () => {
    const bin = process.env.JZ_KUBERNETES_VALIDATE_BIN;
    if (!bin)
      throw new Error(
        'JZ_KUBERNETES_VALIDATE_BIN is not set: run through `npm test`, which installs kubernetes-validate from PyPI',
      );
    const files = base.filter((f) => f !== 'kustomization.yaml').map((f) => join(K8S, 'base', f));
    const r = spawnSync(bin, ['--strict', ...files], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/ERROR|failed/);
    expect(r.status).toBe(0);
    expect((r.stdout.match(/ passed for resource /g) ?? []).length).toBe(resources.length);
  });

  it('kustomize takes every file; each service has replicas, requests, probes and a disruption budget; the workers scale on CPU', () => {
    expect(docsOf('base/kustomization.yaml')[0].kind).toBe('Kustomization');
    expect([...(docsOf('base/kustomization.yaml')[0] as any).resources].sort()).toEqual(
      base.filter((f) => f !== 'kustomization.yaml').sort(),
    );
    const deployments = resources.filter((d) => d.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'console',
      'monitoring',
      'notifications',
      'registry',
      'worker',
    ]);
    for (const d of deployments) {
      expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
      for (const c of d.spec.template.spec.containers) {
        expect(c.resources.requests).toEqual(
          expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
        );
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
      }
      expect(
        resources.some(
          (p) =>
            p.kind === 'PodDisruptionBudget' &&
            p.spec.selector.matchLabels['app.kubernetes.io/name'] === d.metadata.name,
        ),
      ).toBe(true);
    }
    const hpa = resources.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => d.spec.scaleTargetRef.name);
    expect(hpa).toEqual(expect.arrayContaining(['worker', 'registry']));
    // #23: the workflow worker sizes its cache from its memory limit (worker-sizing.ts), so it has one and no fixed cache.
    const worker = deployments.find((d) => d.metadata.name === 'worker')!.spec.template.spec.containers[0];
    expect(worker.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
    expect((worker.env ?? []).map((e: { name: string }) => e.name)).not.toContain('WORKER_MAX_CACHED_WORKFLOWS');
    // Every container runs as a non-root user (set on the container or on its pod), and every one has an HTTP readiness probe.
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect({
        name: d.metadata.name,
        nonRoot: c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot,
      }).toEqual({ name: d.metadata.name, nonRoot: true });
      expect({ name: d.metadata.name, ready: typeof c.readinessProbe?.httpGet?.path }).toEqual({
        name: d.metadata.name,
        ready: 'string',
      });
    }
  });

  it('NATS is a 3-node JetStream cluster with R3 streams; Temporal runs on PostgreSQL with its schema job; PostgreSQL through CloudNativePG', () => {
    const nats = yaml('helm/nats-values.yaml');
    expect(nats.config.cluster).toEqual(expect.objectContaining({ enabled: true, replicas: 3 }));
    expect(nats.config.jetstream.fileStore.enabled).toBe(true);
    const config = resources.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'jingzhun-config')!;
    expect(config.data!.NATS_STREAM_REPLICAS).toBe('3');

    const temporal = yaml('helm/temporal-values.yaml');
    expect(temporal.server.config.persistence.default.sql.driver).toBe('postgres12');
    expect(temporal.server.config.persistence.visibility.sql.driver).toBe('postgres12');
    expect(temporal.server.config.numHistoryShards).toBe(512);
    expect(temporal.schema.setup.enabled).toBe(true);
    expect([temporal.cassandra.enabled, temporal.elasticsearch.enabled, temporal.mysql.enabled]).toEqual([
      false,
      false,
      false,
    ]);

    const clusters = docsOf('postgres/clusters.yaml');
    expect(clusters.map((c) => [c.kind, c.apiVersion, c.metadata.name])).toEqual([
      ['Cluster', 'postgresql.cnpg.io/v1', 'jingzhun-pg'],
      ['Cluster', 'postgresql.cnpg.io/v1', 'temporal-pg'],
    ]);
    for (const c of clusters) expect(c.spec.instances).toBeGreaterThanOrEqual(3);
    expect(temporal.server.config.persistence.default.sql.host).toBe('temporal-pg-rw');
  });
});
