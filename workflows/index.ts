/**
 * Deterministic procedure code (DESIGN.md "Procedures"): one file per procedure, shared steps in
 * workflows/steps/. Imports only @jingzhun/domain and @jingzhun/contracts. The procedures arrive
 * with issue #3; this entry is what the worker's bundler will load.
 */
export {};
