import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './decider';

/** A campaign phase (年度动态调整), as libs/domain names them. */
export type CampaignPhaseName = 'deployment' | 'visits' | 'entry' | 'cleaning' | 'audit' | 'feedback' | 'summary';

/** A village of the campaign's scope as the dry run counted it; tasks are opened village by village. */
export interface ScopeVillage {
  code: string;
  households: number;
}

/** What the campaign's case carries in its `data` (and so its workflow input): fixed when the officer confirmed the dry run. */
export interface CampaignData {
  categories: string[];
  marginalLine: number;
  /** The transition window's last day (policy `transitionPeriod`, YYYY-MM-DD): every exited household is in scope up to then. */
  transitionUntil: string;
  calendar: { phase: CampaignPhaseName; startsAt: string; endsAt: string }[];
  villages: ScopeVillage[];
  households: number;
  reminderBeforeDays: number;
  escalationGraceDays: number;
}

export interface VillageProgress {
  villageCode: string;
  townshipCode: string;
  inScope: number;
  verified: number;
}

export interface CampaignProgress {
  inScope: number;
  opened: number;
  verified: number;
  villages: VillageProgress[];
  /** Cases the verifications opened, by kind. */
  casesByKind: Record<string, number>;
}

export interface CampaignState {
  caseId: string;
  workflowId: string;
  countyCode: string;
  year: number;
  phase: CampaignPhaseName | 'finished';
  status: 'OPEN' | 'COMPLETED' | 'CANCELLED';
  calendar: CampaignData['calendar'];
  progress: CampaignProgress;
  /** When the progress was last read from the registry (daily in the visit and entry phases). */
  progressAt: string | null;
}

export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
/** Cancels the campaign: its open work is withdrawn, then the case ends CANCELLED. Answers once that is done. */
export const cancelCampaignUpdate = defineUpdate<CampaignState, [{ actor: Actor; reason: string }]>('cancelCampaign');

/** Deadlines of the verification tasks: the late villages hear of it, then their townships, then the county. */
export type CampaignDeadlineEvent = 'reminder' | 'overdue' | 'escalated-township' | 'escalated-county';

/** Activities of the campaign on the registry's queue; each is idempotent under retries. */
export interface CampaignActivities {
  /** Opens the verification tasks of these villages' households in scope (one INSERT … SELECT); already opened ones are kept. */
  openVerifications(input: {
    caseId: string;
    workflowId: string;
    villages: string[];
    dueAt: string;
  }): Promise<{ opened: number; inScope: number }>;
  /** Marks the open verification tasks and tells each late village (or its township / the county) once, with its count. */
  verificationDeadline(input: {
    caseId: string;
    event: CampaignDeadlineEvent;
  }): Promise<{ villages: number; tasks: number }>;
  campaignProgress(input: { caseId: string }): Promise<CampaignProgress>;
  /** Withdraws the open work (tasks cancelled), audited as the officer's cancellation. */
  withdrawCampaign(input: { caseId: string; actor: Actor; reason: string }): Promise<{ withdrawn: number }>;
  /** 数据清洗: every rule in force over the county; the new problem items per rule. */
  runCleaning(input: { caseId: string }): Promise<{ newItems: Record<string, number> }>;
  /** Problem items the townships still owe (neither fixed nor explained). */
  openProblems(input: { caseId: string }): Promise<{ open: number }>;
  /** The year's figures, kept on the case (the summary's XLSX and PDF are rendered from them). */
  campaignSummary(input: { caseId: string }): Promise<{ households: number; verified: number }>;
}

export const CampaignSubjects = {
  /** A village's verification tasks are due soon, overdue, or escalated: one event per village and stage. */
  villageLate: 'cases.campaign-late',
} as const;
