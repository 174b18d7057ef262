export * from './workflow';
export * from './registry-events';
export * from './alert-input';
export * from './campaign-events';
export * from './event-payloads';
export * as api from './api';
