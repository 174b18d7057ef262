import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** Procedures of DESIGN.md; monitoring inclusion, risk elimination and follow-up come with issue #4. */
export const PROCEDURE_KINDS = ['identification', 'exit', 'return', 'member_change', 'village_exit'] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export const DECISIONS = ['approve', 'reject', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export type CaseStatus = 'OPEN' | 'COMPLETED' | 'REJECTED' | 'ENDED_BY_OBJECTION' | 'REFUSED';

export interface Actor {
  id: string;
  role: string;
  regionCode: string;
}

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
}

/** Deadlines and lengths read from policy data when the case starts (DESIGN.md: policy, not constants). */
export interface ProcedurePolicy {
  noticeDays: number;
  signOffDays: { village: number; township: number; county: number };
  reminderBeforeDays: number;
  escalationGraceDays: number;
}

export interface DecideInput {
  taskId: string;
  decision: Decision;
  comment: string;
  data?: Record<string, unknown>;
  actor: Actor;
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
  Overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
};

/** `exit/<householdId>/<year>`, `village_exit/<villageCode>/<year>`, … */
export function procedureWorkflowId(kind: ProcedureKind, subject: string, year: number, caseId: string): string {
  return kind === 'member_change' ? `${kind}/${subject}/${caseId}` : `${kind}/${subject}/${year}`;
}

/** Activities the registry hosts on task queue `registry`. Each is idempotent under retries. */
export interface RegistryActivities {
  loadPolicy(input: { regionCode: string; kind: ProcedureKind; at: string }): Promise<ProcedurePolicy>;
  enterStep(input: { caseId: string; step: string; dueAt: string | null; round: number }): Promise<void>;
  openTask(input: {
    caseId: string;
    workflowId: string;
    key: string;
    step: string;
    role: string;
    regionCode: string;
    dueAt: string;
    availableAt: string | null;
    objectionId: string | null;
  }): Promise<{ taskId: string }>;
  closeTask(input: { taskId: string; decision: Decision | 'cancelled'; comment: string; data: Record<string, unknown>; actor: Actor | null }): Promise<void>;
  taskDeadline(input: { taskId: string; event: 'reminder' | 'overdue' | 'escalated'; escalatedTo?: { role: string; regionCode: string } }): Promise<void>;
  publishNotice(input: { caseId: string; key: string; regionCode: string; days: number; startsAt: string; endsAt: string }): Promise<{ noticeId: string }>;
  closeNotice(input: { noticeId: string; withdrawn: boolean }): Promise<void>;
  resolveObjection(input: { objectionId: string; finding: 'UPHELD' | 'DISMISSED'; taskId: string }): Promise<void>;
  /** Re-checks the preconditions and applies the registry change with its audit entry, in one transaction. */
  announce(input: { caseId: string; actor: Actor | null; decisions: Record<string, Record<string, unknown>> }): Promise<{ applied: boolean; obstacles: string[] }>;
  finishCase(input: { caseId: string; status: CaseStatus; outcome: string }): Promise<void>;
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

export const CaseSubjects = { opened: 'cases.opened', finished: 'cases.finished' } as const;
