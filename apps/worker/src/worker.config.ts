import { z } from 'zod';
import { baseConfigSchema, loadConfig } from '@jingzhun/platform';

export const workerConfigSchema = z.intersection(
  baseConfigSchema,
  z.object({
    /** A prebuilt workflow bundle; when empty the worker bundles workflows/ once at start. */
    WORKFLOW_BUNDLE: z.string().optional(),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
  }),
);
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return loadConfig(workerConfigSchema, env);
}
