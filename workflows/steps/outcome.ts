import type { CaseState, DecideInput } from '@jingzhun/contracts/src/workflow';
import type { Procedure } from './procedure';

/**
 * How a round of a procedure ends other than by going on. The shared steps raise these; the one
 * loop below (`rounds`) handles them for every procedure, so a procedure file lists only its steps.
 * They are workflow-internal control flow, never thrown out of a workflow.
 */
export class Rejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** 退回修改: the case goes back to its first step, as a new round. */
export class Returned extends Error {
  constructor() {
    super('returned');
  }
}

/** An upheld objection against a notice ends the procedure. */
export class EndedByObjection extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The outcome of a decision at a step: approval goes on, the others end or repeat the round. */
export function outcomeOf(d: DecideInput, rejected: string): DecideInput {
  if (d.decision === 'reject') throw new Rejected(rejected);
  if (d.decision === 'return') throw new Returned();
  return d;
}

/**
 * Runs the procedure's steps round after round: a `Returned` starts the next round from the first
 * step, a `Rejected` or `EndedByObjection` finishes the case with its reason.
 */
export async function rounds(p: Procedure, steps: () => Promise<CaseState>): Promise<CaseState> {
  for (; ; p.state.round++) {
    try {
      return await steps();
    } catch (err) {
      if (err instanceof Returned) continue;
      if (err instanceof Rejected) return p.finish('REJECTED', err.reason);
      if (err instanceof EndedByObjection) return p.finish('ENDED_BY_OBJECTION', err.reason);
      throw err;
    }
  }
}
