import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, DeciderVerdict } from './decider';
import type { FollowUpCycle, RecordRevisitInput, RecordRevisitResult } from './follow-up';

/** Procedures of DESIGN.md. Every one is a case with a workflow. */
export const PROCEDURE_KINDS = [
  'identification',
  'exit',
  'return',
  'member_change',
  'village_exit',
  'monitoring_inclusion',
  'risk_elimination',
  'removal',
  'follow_up',
  'annual_adjustment',
] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];
/** What an officer may start with `POST /cases`; follow-up is started by the exit and monitoring procedures. */
export const STARTABLE_KINDS = [
  'identification',
  'exit',
  'return',
  'member_change',
  'village_exit',
  'monitoring_inclusion',
  'risk_elimination',
  'removal',
] as const;
export type StartableKind = (typeof STARTABLE_KINDS)[number];

export const DECISIONS = ['approve', 'reject', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export type CaseStatus = 'OPEN' | 'COMPLETED' | 'REJECTED' | 'ENDED_BY_OBJECTION' | 'REFUSED' | 'CANCELLED';

/** What a workflow is started with: everything it needs, nothing it must look up to stay deterministic. */
export interface ProcedureInput {
  caseId: string;
  kind: ProcedureKind;
  workflowId: string;
  householdId: string | null;
  householdNumber: string | null;
  /** Village for household procedures, township for village exit. */
  regionCode: string;
  villageCode: string | null;
  townshipCode: string;
  countyCode: string;
  year: number;
  reason: string;
  data: Record<string, unknown>;
  openedBy: Actor;
  /** The policy in force when the case opened; cases opened before it was passed load it in an activity. */
  policy?: ProcedurePolicy;
}

/** Deadlines and lengths read from policy data when the case starts (DESIGN.md: policy, not constants). */
export interface ProcedurePolicy {
  noticeDays: number;
  signOffDays: { village: number; township: number; county: number };
  reminderBeforeDays: number;
  escalationGraceDays: number;
  /** 纳入监测: days from the first risk clue to the decision (policy `monitoringDecisionDays`, 15). */
  decisionDays?: number;
}

export interface DecideInput {
  taskId: string;
  decision: Decision;
  comment: string;
  data?: Record<string, unknown>;
  actor: Actor;
  /** When the decision was made on a phone, possibly offline (#24): checked by the registry before the update. */
  recordedAt?: string;
}

export interface OpenTaskView {
  taskId: string;
  step: string;
  role: string;
  regionCode: string;
  dueAt: string;
  availableAt: string | null;
  escalatedTo: { role: string; regionCode: string } | null;
  objectionId: string | null;
}

export interface CaseState {
  caseId: string;
  workflowId: string;
  kind: ProcedureKind;
  status: CaseStatus;
  step: string;
  dueAt: string | null;
  round: number;
  openTasks: OpenTaskView[];
  notice: { noticeId: string; endsAt: string; openObjections: number } | null;
  outcome: string | null;
}

export const decideUpdate = defineUpdate<CaseState, [DecideInput]>('decide');
export const objectionSignal = defineSignal<[{ objectionId: string; noticeId: string }]>('objection');
export const stateQuery = defineQuery<CaseState>('state');

/** Search attributes admins filter by in the Web UI. */
export const SearchKeys = {
  ProcessKind: defineSearchAttributeKey('ProcessKind', SearchAttributeType.KEYWORD),
  ProcessStep: defineSearchAttributeKey('ProcessStep', SearchAttributeType.KEYWORD),
  HouseholdId: defineSearchAttributeKey('HouseholdId', SearchAttributeType.KEYWORD),
  VillageCode: defineSearchAttributeKey('VillageCode', SearchAttributeType.KEYWORD),
  TownshipCode: defineSearchAttributeKey('TownshipCode', SearchAttributeType.KEYWORD),
  CountyCode: defineSearchAttributeKey('CountyCode', SearchAttributeType.KEYWORD),
  StepDueAt: defineSearchAttributeKey('StepDueAt', SearchAttributeType.DATETIME),
  /** The current step is past its deadline; reset when the next step opens. */
  Overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  /** The case missed a deadline of its own (纳入监测's 15 days from the first clue); stays set. */
  Late: defineSearchAttributeKey('Late', SearchAttributeType.BOOL),
  /** 户编号, so an admin can type `HouseholdNumber = "41159900100100268"` in the Web UI. */
  HouseholdNumber: defineSearchAttributeKey('HouseholdNumber', SearchAttributeType.KEYWORD),
  /** 年度动态调整: the campaign's year and its current phase (`CampaignYear = 2026 AND CampaignPhase = "visits"`). */
  CampaignYear: defineSearchAttributeKey('CampaignYear', SearchAttributeType.INT),
  CampaignPhase: defineSearchAttributeKey('CampaignPhase', SearchAttributeType.KEYWORD),
};

/** Every search attribute with its type: what the dev server and docker-compose.yml register. */
export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'Datetime' | 'Bool' | 'Int'> = Object.fromEntries(
  Object.values(SearchKeys).map((k) => [
    k.name,
    ({ KEYWORD: 'Keyword', DATETIME: 'Datetime', BOOL: 'Bool', INT: 'Int' } as const)[
      k.type as 'KEYWORD' | 'DATETIME' | 'BOOL' | 'INT'
    ],
  ]),
);

/**
 * `exit/<householdId>/<year>`, `village_exit/<villageCode>/<year>`, … Kinds that may recur within a
 * year carry the case id. A yearly kind started again after its case was rejected or ended gets
 * `/<attempt>` (`exit/<householdId>/2026/2`): a household rejected at appraisal may be nominated again.
 */
export function procedureWorkflowId(
  kind: ProcedureKind,
  subject: string,
  year: number,
  caseId: string,
  attempt = 1,
): string {
  const recurring =
    kind === 'member_change' ||
    kind === 'monitoring_inclusion' ||
    kind === 'risk_elimination' ||
    kind === 'removal' ||
    kind === 'follow_up';
  if (recurring) return `${kind}/${subject}/${caseId}`;
  return attempt > 1 ? `${kind}/${subject}/${year}/${attempt}` : `${kind}/${subject}/${year}`;
}

/** Activities the registry hosts on task queue `registry`. Each is idempotent under retries. */
export interface EnterStepInput {
  caseId: string;
  step: string;
  dueAt: string | null;
  round: number;
}

export interface OpenTaskInput {
  /** Minted by the workflow (uuid4, deterministic), so its answer can name the task before the write; else the registry's. */
  taskId?: string;
  caseId: string;
  workflowId: string;
  key: string;
  step: string;
  role: string;
  regionCode: string;
  dueAt: string;
  availableAt: string | null;
  objectionId: string | null;
  /** The one person who owes the task (a helper's revisit); others of the role do not see it. */
  assigneeId?: string | null;
}

export interface CloseTaskInput {
  taskId: string;
  decision: Decision | 'cancelled';
  comment: string;
  data: Record<string, unknown>;
  actor: Actor | null;
}

export interface PublishNoticeInput {
  /** Minted by the workflow, as OpenTaskInput.taskId. */
  noticeId?: string;
  caseId: string;
  key: string;
  regionCode: string;
  days: number;
  startsAt: string;
  endsAt: string;
}

/**
 * A decision's consequences in one transaction: the decided tasks closed, then the notice posted,
 * the next task opened and the case moved to its next step, each when given. Each part is
 * idempotent, so a retry after the commit changes nothing and answers the same ids.
 */
export interface AdvanceInput {
  caseId: string;
  close: CloseTaskInput[];
  notice?: PublishNoticeInput | null;
  open?: OpenTaskInput | null;
  step?: EnterStepInput | null;
}

export interface RegistryActivities {
  /** A decision's actor re-checked by id (active, may decide the task; role and region the registry's): see DeciderVerdict. */
  verifyDecider(input: {
    taskId: string;
    actor: Actor;
    decision?: Decision;
    data?: Record<string, unknown>;
  }): Promise<DeciderVerdict>;
  loadPolicy(input: { regionCode: string; kind: ProcedureKind; at: string }): Promise<ProcedurePolicy>;
  enterStep(input: EnterStepInput): Promise<void>;
  openTask(input: OpenTaskInput): Promise<{ taskId: string }>;
  closeTask(input: CloseTaskInput): Promise<void>;
  advance(input: AdvanceInput): Promise<{ taskId: string | null; noticeId: string | null }>;
  taskDeadline(input: {
    taskId: string;
    event: 'reminder' | 'overdue' | 'escalated';
    escalatedTo?: { role: string; regionCode: string };
  }): Promise<void>;
  publishNotice(input: PublishNoticeInput): Promise<{ noticeId: string }>;
  closeNotice(input: { noticeId: string; withdrawn: boolean }): Promise<void>;
  resolveObjection(input: { objectionId: string; finding: 'UPHELD' | 'DISMISSED'; taskId: string }): Promise<void>;
  /** Re-checks the preconditions and applies the registry change with its audit entry, in one transaction. */
  announce(input: {
    caseId: string;
    actor: Actor | null;
    decisions: Record<string, Record<string, unknown>>;
  }): Promise<{ applied: boolean; obstacles: string[] }>;
  finishCase(input: { caseId: string; status: CaseStatus; outcome: string }): Promise<void>;
  /** 纳入监测: the decision clock from the first risk clue ran out; the county hears of it. */
  caseLate(input: { caseId: string; deadline: string }): Promise<void>;
  /** A case the system opens (a risky revisit → monitoring inclusion; exit → follow-up). Returns the open one if any. */
  openSystemCase(input: {
    kind: ProcedureKind;
    householdId: string;
    reason: string;
    data: Record<string, unknown>;
  }): Promise<{ caseId: string | null; workflowId: string | null; alreadyOpen: boolean; refused?: string }>;
  /** Follow-up: the household's state and policy for the coming cycle. */
  followUpCycle(input: { householdId: string; at: string }): Promise<FollowUpCycle>;
  reassignTask(input: { taskId: string; assigneeId: string }): Promise<void>;
  /** 回访 record from the revisit task's decision; returns the risk clues it found. */
  recordRevisit(input: RecordRevisitInput): Promise<RecordRevisitResult>;
}

export const TaskSubjects = {
  opened: 'tasks.opened',
  decided: 'tasks.decided',
  reminder: 'tasks.reminder',
  overdue: 'tasks.overdue',
  escalated: 'tasks.escalated',
  cancelled: 'tasks.cancelled',
} as const;

export const NoticeSubjects = {
  published: 'notices.published',
  objection: 'notices.objection',
  closed: 'notices.closed',
} as const;

export const CaseSubjects = { opened: 'cases.opened', finished: 'cases.finished', late: 'cases.late' } as const;

/** Revisit tasks publish here instead of `tasks.*` (stream TASKS): notifications word them as 回访. */
export const RevisitSubjects = {
  opened: 'revisits.opened',
  reminder: 'revisits.reminder',
  overdue: 'revisits.overdue',
  escalated: 'revisits.escalated',
  decided: 'revisits.decided',
  recorded: 'revisits.recorded',
  cancelled: 'revisits.cancelled',
} as const;
