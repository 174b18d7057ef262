import { memoryBudgetMiB, SIZING_DEFAULTS, workerSizing } from './worker-sizing';

describe('workerSizing', () => {
  it('fills what the base leaves with cached workflows, a tenth kept for tasks in flight', () => {
    const s = workerSizing({ budgetMiB: 1024 });
    // 1024 − 300 = 724 free; a tenth / 4 MiB = 18 tasks; 724 − 72 = 652 MiB / 640 KiB = 1043 workflows.
    expect(s.maxConcurrentWorkflowTaskExecutions).toBe(18);
    expect(s.maxCachedWorkflows).toBe(1043);
    expect(s.basis).toContain('1043 cached workflows');
  });

  it('stays inside the budget at every size', () => {
    for (const budgetMiB of [400, 700, 1024, 1741, 4096, 16384]) {
      const s = workerSizing({ budgetMiB });
      const used =
        SIZING_DEFAULTS.baseMiB +
        s.maxConcurrentWorkflowTaskExecutions * SIZING_DEFAULTS.perTaskMiB +
        (s.maxCachedWorkflows * SIZING_DEFAULTS.perWorkflowKiB) / 1024;
      expect(used).toBeLessThanOrEqual(budgetMiB + 1);
    }
  });

  it('grows the cache with the budget and caps concurrency at the SDK default', () => {
    const small = workerSizing({ budgetMiB: 1024 });
    const large = workerSizing({ budgetMiB: 8192 });
    expect(large.maxCachedWorkflows).toBeGreaterThan(small.maxCachedWorkflows * 5);
    expect(large.maxConcurrentWorkflowTaskExecutions).toBe(40);
  });

  it('keeps the SDK minimums when the budget is below the base', () => {
    const s = workerSizing({ budgetMiB: 200 });
    expect(s.maxConcurrentWorkflowTaskExecutions).toBe(2);
    expect(s.maxCachedWorkflows).toBe(10);
  });

  it('uses measured weights when given', () => {
    expect(workerSizing({ budgetMiB: 1024, perWorkflowKiB: 256 }).maxCachedWorkflows).toBe(2608);
  });

  it('refuses a budget that is not positive', () => {
    expect(() => workerSizing({ budgetMiB: 0 })).toThrow(/positive/);
  });
});

describe('memoryBudgetMiB', () => {
  it('prefers the explicit budget, then 85 % of the container limit, then 1 GiB', () => {
    expect(memoryBudgetMiB(1500, () => 2 ** 31)).toEqual({ budgetMiB: 1500, source: 'WORKER_MEMORY_BUDGET_MB' });
    expect(memoryBudgetMiB(undefined, () => 2 * 2 ** 30).budgetMiB).toBe(1740);
    expect(memoryBudgetMiB(undefined, () => null)).toEqual({ budgetMiB: 1024, source: 'default' });
  });
});
