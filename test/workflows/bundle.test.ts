import { readFileSync, statSync } from 'node:fs';
import { testEngines } from '../support/engines';

/**
 * The workflow bundle is small deterministic code: no zod and no API schema. The SDK re-evaluates a
 * workflow's modules for every workflow instance (reusable V8 context), so each schema in the bundle
 * costs memory per cached workflow (STYLE.md; sdk-typescript #2227).
 */
describe('the workflow bundle', () => {
  const code = readFileSync(testEngines.workflowBundle, 'utf8');

  it('carries no zod, no API schema and no zod-based domain module', () => {
    const carried = [
      'node_modules/zod/',
      'libs/contracts/src/api/',
      'libs/contracts/src/event-payloads',
      'libs/domain/src/household-schemas',
      'libs/domain/src/procedures/records',
    ].filter((m) => code.includes(m));
    expect(carried).toEqual([]);
  });

  it('carries the procedure catalogue it reads (the check above would see a module)', () => {
    expect(code).toContain('libs/domain/src/procedures/catalogue');
  });

  it('stays small', () => {
    const mb = statSync(testEngines.workflowBundle).size / 1e6;
    process.stdout.write(`workflow bundle: ${mb.toFixed(2)} MB\n`);
    expect(mb).toBeLessThan(2.5);
  });
});
