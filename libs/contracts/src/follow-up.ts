import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Actor } from './decider';
import type { CloseTaskInput, OpenTaskInput } from './procedures';

/* 回访: the follow-up workflow's input, state and messages, and the revisit record the registry keeps. */

export interface RecordRevisitInput {
  caseId: string;
  taskId: string;
  householdId: string;
  form: Record<string, unknown>;
  actor: Actor;
  late: boolean;
  /** When the visit was made, if on a phone before it reached the registry (#24); absent: now. */
  recordedAt?: string;
  /** Closes the revisit task in the same transaction (histories before 'decision-one-transaction' closed it apart). */
  close?: CloseTaskInput | null;
  /**
   * Opens the next cycle in the same transaction (#23, 'lean-cycle'): the household's cycle is read
   * again and, while it is due, the next revisit task and step are written with the visit. The next
   * run then starts waiting, with no activity of its own.
   */
  next?: NextCycleInput | null;
}

export interface NextCycleInput {
  workflowId: string;
  villageCode: string;
  cycle: number;
  /** The next revisit's due date, on the calendar the workflow keeps. */
  dueAt: string;
}

/** The next cycle's revisit task, as the visit's transaction opens it: the helper's, or the village's while none is assigned. */
export function nextRevisitTask(caseId: string, next: NextCycleInput, helperId: string | null): OpenTaskInput {
  return {
    caseId,
    workflowId: next.workflowId,
    key: `${next.workflowId}/c${next.cycle}/revisit`,
    step: 'revisit',
    role: helperId ? 'helper' : 'village',
    regionCode: next.villageCode,
    dueAt: next.dueAt,
    availableAt: null,
    objectionId: null,
    assigneeId: helperId,
  };
}

export interface RecordRevisitResult {
  visitId: string;
  riskReasons: string[];
  /** With `next`: the household's coming cycle, and the revisit opened for it (null when none is due). */
  next?: { cycle: FollowUpCycle; taskId: string | null } | null;
}

export interface FollowUpCycle {
  /** False when the household is closed, merged, back to POOR, or past its transition period. */
  active: boolean;
  why: string;
  basis: 'exited' | 'monitored';
  helperId: string | null;
  villageCode: string;
  cadence: string;
  reminderBeforeDays: number;
  escalationGraceDays: number;
  /** End of the 5-year transition period for an exited household; null while monitored. */
  endsAt: string | null;
}

/** A revisit due after the household's transition period ends is never opened: the follow-up waits out the period instead. */
export function dueAfterTransition(cycle: FollowUpCycle, dueAt: string): cycle is FollowUpCycle & { endsAt: string } {
  return cycle.endsAt !== null && Date.parse(dueAt) > Date.parse(cycle.endsAt);
}

/** Carried from one run of the follow-up workflow to the next (continue-as-new each cycle). */
export interface FollowUpInput {
  caseId: string;
  workflowId: string;
  householdId: string;
  householdNumber: string | null;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  cycle: number;
  /** Due date of this cycle's revisit; absent on the first run (one cadence from the start). */
  nextDueAt?: string | null;
  overdueCount: number;
  visits: number;
  /** A cadence an officer set by signal, overriding the policy. */
  cadence?: string | null;
  /** The cycle and its revisit, opened with the previous run's visit ('lean-cycle'); absent on older runs. */
  opened?: { cycle: FollowUpCycle; taskId: string | null } | null;
}

export interface FollowUpState {
  caseId: string;
  cycle: number;
  status: 'OPEN' | 'FINISHED';
  helperId: string | null;
  cadence: string | null;
  /** A cadence set by signal, applied from the next cycle. */
  nextCadence?: string | null;
  nextDueAt: string | null;
  openTaskId: string | null;
  overdue: boolean;
  overdueCount: number;
  visits: number;
  outcome: string | null;
}

export const followUpStateQuery = defineQuery<FollowUpState>('followUpState');
export const helperReassignedSignal = defineSignal<[{ helperId: string }]>('helperReassigned');
export const cadenceChangedSignal = defineSignal<[{ cadence: string | null }]>('cadenceChanged');
export const stopFollowUpSignal = defineSignal<[{ reason: string }]>('stopFollowUp');

/** The follow-up of a household: one workflow id for its whole period (runs chain by continue-as-new). */
export function followUpWorkflowId(householdId: string, caseId: string): string {
  return `follow_up/${householdId}/${caseId}`;
}
