/**
 * What workflow code may import from the contracts: plain constants, types and the Temporal message
 * definitions, without zod or the API's schemas. The SDK re-evaluates a workflow's modules for every
 * workflow instance, so each schema here would cost memory per cached workflow (sdk-typescript #2227);
 * test/workflows/bundle.test.ts fails when the bundle carries zod.
 */
export * from './procedures';
export * from './follow-up';
export * from './refusals';
export * from './error-codes';
export * from './decider';
export * from './workflow-types';
export * from './streams';
export * from './campaign';
export * from './monitoring';
