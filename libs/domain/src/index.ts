export * from './id-number';
export * from './region-code';
export * from './enums';
export * from './income';
export * from './incidence';
export * from './notice-period';
export * from './exit-criteria';
