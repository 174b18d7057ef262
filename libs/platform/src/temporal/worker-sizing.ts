import { readFileSync } from 'node:fs';

/**
 * A workflow worker's sticky cache and task concurrency, set from its memory budget (#23 §1).
 *
 * Temporal's guidance: the cache is the worker's main memory cost, each cached workflow weighs what
 * its state and payloads weigh, and a worker should be sized from measured weight rather than the
 * SDK's generic default (`@temporalio/worker` WorkerOptions.maxCachedWorkflows: "most users fit
 * at least 600 workflows per GB" with a reused V8 context; docs.temporal.io "Workflow cache tuning":
 * raise the cache while RAM allows, lower it when it does not). Our weights are measured by
 * `npm run bench:workflow-heap` (312–395 KiB of RSS per cached follow-up, a worker with nothing
 * cached ≈ 200–280 MiB) and `bench:procedures` (≈ 580 KiB per cached exit procedure with its
 * decisions): the defaults below carry a margin over those figures.
 */
export interface WorkerSizingInput {
  /** What the worker process may use in all (RSS), MiB. */
  budgetMiB: number;
  /** RSS of the worker with its bundle loaded and nothing cached, MiB. */
  baseMiB?: number;
  /** RSS per cached workflow, KiB. */
  perWorkflowKiB?: number;
  /** RSS of one workflow task in flight (a replayed history and its activation), MiB. */
  perTaskMiB?: number;
}

export interface WorkerSizing {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  /** Why: the figures the two numbers came from, for the start-up log. */
  basis: string;
}

export const SIZING_DEFAULTS = { baseMiB: 300, perWorkflowKiB: 640, perTaskMiB: 4 } as const;
/** The SDK's own default concurrency; more only queues work on one event loop. */
const MAX_TASKS = 40;
/** The SDK refuses fewer than 2 concurrent workflow tasks with a cache. */
const MIN_TASKS = 2;
const MIN_CACHE = 10;

export function workerSizing(input: WorkerSizingInput): WorkerSizing {
  const { baseMiB, perWorkflowKiB, perTaskMiB } = { ...SIZING_DEFAULTS, ...input };
  if (!(input.budgetMiB > 0)) throw new Error(`worker memory budget must be positive, got ${input.budgetMiB}`);
  const free = Math.max(0, input.budgetMiB - baseMiB);
  // A tenth of what is free is kept for tasks in flight, the rest is the cache.
  const tasks = Math.min(MAX_TASKS, Math.max(MIN_TASKS, Math.floor((free * 0.1) / perTaskMiB)));
  const cacheMiB = Math.max(0, free - tasks * perTaskMiB);
  const cache = Math.max(MIN_CACHE, Math.floor((cacheMiB * 1024) / perWorkflowKiB));
  return {
    maxCachedWorkflows: cache,
    maxConcurrentWorkflowTaskExecutions: tasks,
    basis:
      `budget ${input.budgetMiB} MiB − base ${baseMiB} MiB − ${tasks} tasks × ${perTaskMiB} MiB` +
      ` = ${cacheMiB.toFixed(0)} MiB for ${cache} cached workflows × ${perWorkflowKiB} KiB`,
  };
}

/**
 * The budget: WORKER_MEMORY_BUDGET_MB when set, else 85 % of the container's memory limit (cgroup v2
 * `memory.max` or v1 `memory.limit_in_bytes`, as Kubernetes sets them), else 1 024 MiB.
 */
export function memoryBudgetMiB(
  explicit: number | undefined,
  readCgroup: () => number | null = cgroupLimitBytes,
): {
  budgetMiB: number;
  source: string;
} {
  if (explicit !== undefined) return { budgetMiB: explicit, source: 'WORKER_MEMORY_BUDGET_MB' };
  const limit = readCgroup();
  if (limit !== null) return { budgetMiB: Math.floor((limit / 2 ** 20) * 0.85), source: 'cgroup memory limit × 0.85' };
  return { budgetMiB: 1024, source: 'default' };
}

/** The container's memory limit in bytes, or null where none is set (or this is not Linux). */
export function cgroupLimitBytes(): number | null {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = readFileSync(path, 'utf8').trim();
      const bytes = Number(text);
      // "max" (v2) or a v1 sentinel near 2^63 means no limit.
      if (text !== 'max' && Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 50) return bytes;
    } catch {
      // not this cgroup version
    }
  }
  return null;
}
