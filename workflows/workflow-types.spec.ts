import { WorkflowTypes } from '@jingzhun/contracts';
import * as workflows from './index';

/** The names every starter uses (libs/contracts) are the functions the production bundle exports. */
describe('workflow type names', () => {
  it('each name in WorkflowTypes is an exported workflow function', () => {
    const exported = workflows as Record<string, unknown>;
    const missing = Object.values(WorkflowTypes).filter((name) => typeof exported[name] !== 'function');
    expect(missing).toEqual([]);
  });

  it('the check sees a missing name', () => {
    expect(typeof (workflows as Record<string, unknown>).noSuchWorkflow).toBe('undefined');
  });
});
