import { z } from 'zod';
import { baseConfigSchema, loadConfig } from '@jingzhun/platform';

export const workerConfigSchema = z.intersection(
  baseConfigSchema,
  z.object({
    /** A prebuilt workflow bundle; when empty the worker bundles workflows/ once at start. */
    WORKFLOW_BUNDLE: z.string().optional(),
    /** Port of the worker's /health/live and /health/ready (for the image's HEALTHCHECK and the cluster's probes); unset = none. */
    WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    WORKER_HEALTH_HOST: z.string().default('0.0.0.0'),
    /** What the worker process may use (RSS, MiB); unset = 85 % of the container's limit, else 1 024. Sizes the cache and concurrency. */
    WORKER_MEMORY_BUDGET_MB: z.coerce.number().int().min(256).optional(),
    /** RSS per cached workflow (KiB), as `npm run bench:workflow-heap` measures it for this bundle. */
    WORKER_KIB_PER_WORKFLOW: z.coerce.number().int().min(16).default(640),
    /** Overrides the cache size the budget gives (0 = no sticky cache). */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  }),
);
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return loadConfig(workerConfigSchema, env);
}
