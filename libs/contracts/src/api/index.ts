export * from './common';
export * from './registry';
export * from './procedures';
export * from './campaigns';
export * from './services';
