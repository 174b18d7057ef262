export * from './registry-events';
export * from './streams';
export * from './procedures';
export * from './monitoring';
export * from './refusals';
export * from './event-payloads';
export * from './workflow-types';
export * from './campaign';
