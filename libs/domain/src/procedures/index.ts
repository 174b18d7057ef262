export * from './steps';
export * from './catalogue';
export * from './records';
export * from './eligibility';
export * from './evidence';
