/**
 * Deterministic procedure code (DESIGN.md "Procedures"): one file per procedure, shared steps in
 * workflows/steps/. Imports only @jingzhun/domain and @jingzhun/contracts (and the Temporal SDK).
 * Workflow type names are what admins see in the Web UI.
 */
export { identificationProcedure, returnProcedure } from './identification';
export { exitProcedure } from './exit';
export { memberChangeProcedure } from './member-change';
export { villageExitProcedure } from './village-exit';
export { monitoringInclusionProcedure } from './monitoring-inclusion';
export { riskEliminationProcedure } from './risk-elimination';
export { removalProcedure } from './removal';
export { followUpProcedure } from './follow-up';
export { annualAdjustmentCampaign } from './annual-adjustment';
export { dailyDigestWorkflow } from './daily-digest';
export { alertTriageWorkflow, riskScanWorkflow } from './risk-monitoring';
