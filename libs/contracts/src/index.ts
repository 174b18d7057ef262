export * from './registry-events';
export * from './streams';
