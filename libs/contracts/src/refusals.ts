import { ApplicationFailure } from '@temporalio/common';

/**
 * Why a `decide` update was refused by the workflow's validator. The type crosses the boundary;
 * the API maps it to HTTP with an exhaustive switch and never parses a message.
 */
export const DecisionRefusal = {
  TaskClosed: 'TASK_CLOSED',
  NotAssignee: 'NOT_ASSIGNEE',
  NotYetOpen: 'NOT_YET_OPEN',
  UnknownDecision: 'UNKNOWN_DECISION',
  InvalidForm: 'INVALID_FORM',
  /** The household's live facts do not meet the procedure's rule at this step (obstacles listed). */
  NotEligible: 'NOT_ELIGIBLE',
  /** One officer never signs two levels of the same case. */
  SameOfficer: 'SAME_OFFICER',
} as const;
export type DecisionRefusalType = (typeof DecisionRefusal)[keyof typeof DecisionRefusal];
export const DECISION_REFUSAL_TYPES: readonly DecisionRefusalType[] = Object.values(DecisionRefusal);

/** What a refusal carries besides its type and message: the field a form refusal is about. */
export interface DecisionRefusalDetails {
  field?: string;
  /** Every unmet condition, with the figure and the line (NOT_ELIGIBLE). */
  obstacles?: string[];
  /** Every field the record got wrong (INVALID_FORM). */
  issues?: { path: string; message: string }[];
}

/** Thrown by update validators (a rejected update is not recorded in the history: replay-safe). */
export function refuse(
  type: DecisionRefusalType,
  message: string,
  details: DecisionRefusalDetails = {},
): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

export function isDecisionRefusalType(t: string | undefined | null): t is DecisionRefusalType {
  return !!t && (DECISION_REFUSAL_TYPES as readonly string[]).includes(t);
}

/**
 * Why a `cancelCampaign` update was refused by the campaign workflow's validator: typed like a decision's
 * refusal, so the API maps it with an exhaustive switch and never reads a message.
 */
export const CampaignRefusal = {
  /** The campaign already ended, or a cancellation is already under way. */
  Closed: 'CAMPAIGN_CLOSED',
} as const;
export type CampaignRefusalType = (typeof CampaignRefusal)[keyof typeof CampaignRefusal];
const CAMPAIGN_REFUSAL_TYPES: readonly string[] = Object.values(CampaignRefusal);

export function refuseCampaign(type: CampaignRefusalType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

export function isCampaignRefusalType(t: string | undefined | null): t is CampaignRefusalType {
  return !!t && CAMPAIGN_REFUSAL_TYPES.includes(t);
}
