import { ApplicationFailure } from '@temporalio/common';
import { isDecisionRefusalType, type DecisionRefusalDetails, type DecisionRefusalType } from '@jingzhun/contracts';
import { conflict, DomainException, forbidden, invalid } from '@jingzhun/platform';

/** The HTTP answer to a refusal by the workflow's validator: by its type, never by its message. */
export function decisionRefusalToHttp(
  type: DecisionRefusalType,
  message: string,
  details: DecisionRefusalDetails,
): DomainException {
  switch (type) {
    case 'TASK_CLOSED':
      return conflict('TASK_ALREADY_DECIDED', message);
    case 'NOT_ASSIGNEE':
      return forbidden('NOT_ASSIGNEE', message);
    case 'NOT_YET_OPEN':
      return conflict('STEP_NOT_OPEN', message);
    case 'UNKNOWN_DECISION':
      return invalid(details.field ?? 'decision', message);
    case 'INVALID_FORM':
      return details.issues?.length
        ? new DomainException(
            400,
            'VALIDATION_FAILED',
            `输入有误: ${details.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
            { issues: details.issues },
          )
        : invalid(details.field ?? 'data', message);
    case 'NOT_ELIGIBLE':
      return conflict('NOT_ELIGIBLE', message, { obstacles: details.obstacles ?? [] });
    case 'SAME_OFFICER':
      return forbidden('SAME_OFFICER', message);
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
