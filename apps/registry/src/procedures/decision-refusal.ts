import { ApplicationFailure } from '@temporalio/common';
import {
  isDecisionRefusalType,
  type DecisionRefusalDetails,
  type DecisionRefusalType,
  CaseError,
  CommonError,
  DecisionRefusal,
} from '@jingzhun/contracts';
import { conflict, DomainException, forbidden, invalid } from '@jingzhun/platform';

/** The HTTP answer to a refusal by the workflow's validator: by its type, never by its message. */
export function decisionRefusalToHttp(
  type: DecisionRefusalType,
  message: string,
  details: DecisionRefusalDetails,
): DomainException {
  switch (type) {
    case DecisionRefusal.TaskClosed:
      return conflict(CaseError.TaskAlreadyDecided, message);
    case DecisionRefusal.NotAssignee:
      return forbidden(CaseError.NotAssignee, message);
    case DecisionRefusal.NotYetOpen:
      return conflict(CaseError.StepNotOpen, message);
    case DecisionRefusal.UnknownDecision:
      return invalid(details.field ?? 'decision', message);
    case DecisionRefusal.InvalidForm:
      return details.issues?.length
        ? new DomainException(
            400,
            CommonError.ValidationFailed,
            `输入有误: ${details.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
            { issues: details.issues },
          )
        : invalid(details.field ?? 'data', message);
    case DecisionRefusal.NotEligible:
      return conflict(CaseError.NotEligible, message, { obstacles: details.obstacles ?? [] });
    case DecisionRefusal.SameOfficer:
      return forbidden(CaseError.SameOfficer, message);
    default: {
      const unreachable: never = type;
      throw new Error(`unmapped decision refusal ${String(unreachable)}`);
    }
  }
}

/** The refusal inside an update failure, if the validator gave one. */
export function decisionRefusalOf(cause: unknown): DomainException | null {
  if (!(cause instanceof ApplicationFailure) || !isDecisionRefusalType(cause.type)) return null;
  const details = (cause.details?.[0] ?? {}) as DecisionRefusalDetails;
  return decisionRefusalToHttp(cause.type, cause.message, details);
}
