/**
 * The codes the services answer in `{ error: { code, message, details? } }`, one table per module.
 * Services throw them (DomainException takes an ErrorCode, so a new code is added here first); clients
 * (the console, the monitoring service calling the registry) match these constants, never a literal.
 * Plain constants: safe for workflow code and the console's bundle.
 */
export const CommonError = {
  ValidationFailed: 'VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  Unauthenticated: 'UNAUTHENTICATED',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  RoleNotAllowed: 'ROLE_NOT_ALLOWED',
  OutsideJurisdiction: 'OUTSIDE_JURISDICTION',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyBodyMismatch: 'IDEMPOTENCY_KEY_BODY_MISMATCH',
  WorkflowUnavailable: 'WORKFLOW_UNAVAILABLE',
  RegistryUnavailable: 'REGISTRY_UNAVAILABLE',
  RegistryRefused: 'REGISTRY_REFUSED',
} as const;

export const HouseholdError = {
  PersonAlreadyRegistered: 'PERSON_ALREADY_REGISTERED',
  HouseholdClosed: 'HOUSEHOLD_CLOSED',
  HeadExists: 'HEAD_EXISTS',
  NotAssignedHelper: 'NOT_ASSIGNED_HELPER',
  UseHelperAssignment: 'USE_HELPER_ASSIGNMENT',
  IdSearchNotAllowed: 'ID_SEARCH_NOT_ALLOWED',
  NotMonitored: 'NOT_MONITORED',
  NoFollowUp: 'NO_FOLLOW_UP',
  UseMemberChange: 'USE_MEMBER_CHANGE',
  IdSearchLimit: 'ID_SEARCH_LIMIT',
} as const;

export const CaseError = {
  CaseAlreadyOpen: 'CASE_ALREADY_OPEN',
  CaseClosed: 'CASE_CLOSED',
  PreconditionsNotMet: 'PRECONDITIONS_NOT_MET',
  NotEligible: 'NOT_ELIGIBLE',
  StepNotOpen: 'STEP_NOT_OPEN',
  /** A record made offline says it was made before its task could be done (#24). */
  RecordedBeforeTask: 'RECORDED_BEFORE_TASK',
  TaskAlreadyDecided: 'TASK_ALREADY_DECIDED',
  DecisionRefused: 'DECISION_REFUSED',
  NotAssignee: 'NOT_ASSIGNEE',
  SameOfficer: 'SAME_OFFICER',
  NoticeClosed: 'NOTICE_CLOSED',
  UseVerificationForm: 'USE_VERIFICATION_FORM',
} as const;

export const CampaignError = {
  CampaignClosed: 'CAMPAIGN_CLOSED',
  ScopeChanged: 'SCOPE_CHANGED',
  EntryClosed: 'ENTRY_CLOSED',
  AlreadyVerified: 'ALREADY_VERIFIED',
  ProblemClosed: 'PROBLEM_CLOSED',
  NotExplained: 'NOT_EXPLAINED',
  StillFails: 'STILL_FAILS',
  ProvinceProblem: 'PROVINCE_PROBLEM',
  NoMonitoringLine: 'NO_MONITORING_LINE',
  NotInCleaning: 'NOT_IN_CLEANING',
} as const;

export const ImportError = {
  ImportBusy: 'IMPORT_BUSY',
  ImportTooLarge: 'IMPORT_TOO_LARGE',
  ImportTooWide: 'IMPORT_TOO_WIDE',
  ImportUnreadable: 'IMPORT_UNREADABLE',
  PdfBusy: 'PDF_BUSY',
} as const;

export const AlertError = {
  NotADepartment: 'NOT_A_DEPARTMENT',
  AlreadyTriaged: 'ALREADY_TRIAGED',
  NotEvaluated: 'NOT_EVALUATED',
  NoHousehold: 'NO_HOUSEHOLD',
} as const;

/** Photos of evidence and records made offline (#24). */
export const PhotoError = {
  NotAnImage: 'PHOTO_NOT_IMAGE',
  TooLarge: 'PHOTO_TOO_LARGE',
  IdTaken: 'PHOTO_ID_TAKEN',
} as const;

export const UserError = {
  SubjectTaken: 'SUBJECT_TAKEN',
} as const;

type Values<T> = T[keyof T];
export type ErrorCode =
  | Values<typeof CommonError>
  | Values<typeof HouseholdError>
  | Values<typeof CaseError>
  | Values<typeof CampaignError>
  | Values<typeof ImportError>
  | Values<typeof AlertError>
  | Values<typeof UserError>
  | Values<typeof PhotoError>;

export const ERROR_CODES: readonly ErrorCode[] = [
  CommonError,
  HouseholdError,
  CaseError,
  CampaignError,
  ImportError,
  AlertError,
  UserError,
  PhotoError,
].flatMap((m) => Object.values(m) as ErrorCode[]);

/** Whether a code from a response is one of ours (a client narrows an unknown `error.code` with it). */
export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
