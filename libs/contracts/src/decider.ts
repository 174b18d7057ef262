import type { DecisionRefusalDetails, DecisionRefusalType } from './refusals';

/** Who acted: a registry user's id, role and region (the registry's, read when it matters). */
export interface Actor {
  id: string;
  role: string;
  regionCode: string;
}

/**
 * The registry's answer to `verifyDecider`, asked before a workflow applies a decision: the person
 * as the registry knows them now (exists, active, may decide the task: its role at its region, its
 * assignee; its escalation only to return the case), whether the decision's record satisfies the
 * step's schema, and whether the household is eligible where the law checks it at this step; or why
 * not, with the refusal's type. Only the actor's id is taken from the update: a decision forged
 * straight into Temporal is refused and changes nothing.
 */
export type DeciderVerdict =
  | { ok: true; actor: Actor }
  | { ok: false; reason: string; refusal?: DecisionRefusalType; details?: DecisionRefusalDetails };
