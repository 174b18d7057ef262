/**
 * The benches' own workflow bundle: the production workflows plus the bare baseline workflow they
 * are measured against. The production bundle (workflows/index.ts) does not carry the baseline.
 */
export * from '../workflows';
export { benchBareWorkflow } from './bare-workflow';
