import type { ProcedureKind } from './procedures';

/**
 * Workflow type names: the exported functions of workflows/ (what admins see in the Web UI), named
 * once for every starter (the registry, the monitoring and notifications schedules, the tests).
 */
export const WorkflowTypes = {
  identification: 'identificationProcedure',
  exit: 'exitProcedure',
  return: 'returnProcedure',
  memberChange: 'memberChangeProcedure',
  villageExit: 'villageExitProcedure',
  monitoringInclusion: 'monitoringInclusionProcedure',
  riskElimination: 'riskEliminationProcedure',
  removal: 'removalProcedure',
  followUp: 'followUpProcedure',
  annualAdjustment: 'annualAdjustmentCampaign',
  alertTriage: 'alertTriageWorkflow',
  riskScan: 'riskScanWorkflow',
  dailyDigest: 'dailyDigestWorkflow',
} as const;

/** The workflow that runs each procedure kind's case. */
export const PROCEDURE_WORKFLOW: Record<ProcedureKind, string> = {
  identification: WorkflowTypes.identification,
  exit: WorkflowTypes.exit,
  return: WorkflowTypes.return,
  member_change: WorkflowTypes.memberChange,
  village_exit: WorkflowTypes.villageExit,
  monitoring_inclusion: WorkflowTypes.monitoringInclusion,
  risk_elimination: WorkflowTypes.riskElimination,
  removal: WorkflowTypes.removal,
  follow_up: WorkflowTypes.followUp,
  annual_adjustment: WorkflowTypes.annualAdjustment,
};
