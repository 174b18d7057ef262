/** Department feeds (DESIGN.md): 医保, 民政, 应急, 人社, 教育, 住建. */
export const DEPARTMENTS = ['medical', 'civil', 'emergency', 'hrss', 'education', 'housing'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const ALERT_KINDS = [
  'medical_expense',
  'disability',
  'disaster',
  'unemployment',
  'school_dropout',
  'housing_danger',
  'income_survey',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Departments publish `alerts.<department>.<kind>` on stream ALERTS; the monitoring service consumes them. */
export function alertSubject(department: Department, kind: AlertKind): string {
  return `alerts.${department}.${kind}`;
}

/** What the monitoring service publishes for officers (never an ID number). */
export const TriageSubjects = {
  opened: 'alerts.triage.opened',
  decided: 'alerts.triage.decided',
} as const;

/** What the registry tells the monitoring service about the person an alert names. */
export interface MemberMatch {
  householdId: string;
  memberId: string;
  householdNumber: string;
  villageCode: string;
  status: string;
  netIncomePerHead: number | null;
  memberCount: number;
  labourCapacity: string;
}

/** A household the scan flagged, with the rules it met. */
export interface ScanFlag {
  householdId: string;
  householdNumber: string;
  villageCode: string;
  netIncomePerHead: number | null;
  rules: string[];
}

/** Rules the registry can evaluate in SQL over its households (monthly scan). */
export interface ScanRules {
  /** income_below_line: net income per head below factor × the year's monitoring line. */
  incomeBelowLine: { factor: number } | null;
  /** basic_needs_unmet: the latest assessment shows a basic need not secure. */
  basicNeedsUnmet: boolean;
  /** disaster_in_village: in a village with a recent disaster alert and income below factor × line. */
  disasterVillages: { villages: string[]; factor: number } | null;
}

/** Activities the registry hosts for the monitoring procedures (queue `registry`). */
export interface RegistryMonitoringActivities {
  matchMember(input: { idHash: string }): Promise<MemberMatch | null>;
  scanRisks(input: {
    rules: ScanRules;
    year: number;
    afterId: string | null;
    limit: number;
  }): Promise<{ flags: ScanFlag[]; scanned: number; lastId: string | null }>;
}

/** Activities the monitoring service hosts (queue `monitoring`). */
export interface MonitoringActivities {
  scanRules(input: { at: string }): Promise<ScanRules>;
  beginScan(input: { scanId: string; period: string }): Promise<void>;
  recordScanFlags(input: {
    scanId: string;
    period: string;
    flags: ScanFlag[];
    scanned: number;
  }): Promise<{ opened: number }>;
  finishScan(input: { scanId: string }): Promise<{ scanned: number; flagged: number }>;
  evaluateAlert(input: { alertId: string; match: MemberMatch | null }): Promise<{ status: string; risky: boolean }>;
}

/** Activities the notifications service hosts (queue `notifications`). */
export interface NotificationActivities {
  sendDigests(input: { at: string }): Promise<{ digests: number; revisitReminders?: number }>;
}
