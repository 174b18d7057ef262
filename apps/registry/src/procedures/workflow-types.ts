import type { ProcedureKind } from '@jingzhun/contracts';

/** Workflow type names (exported functions of workflows/). */
export const WORKFLOW_TYPE: Record<ProcedureKind, string> = {
  identification: 'identificationProcedure',
  exit: 'exitProcedure',
  return: 'returnProcedure',
  member_change: 'memberChangeProcedure',
  village_exit: 'villageExitProcedure',
  monitoring_inclusion: 'monitoringInclusionProcedure',
  risk_elimination: 'riskEliminationProcedure',
  follow_up: 'followUpProcedure',
};
