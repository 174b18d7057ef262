/**
 * Shapes of responses the services' OpenAPI documents do not describe yet (their request side is
 * typed by the generated client). Issue #11 documents every response; these go then.
 */
export interface InboxTask {
  id: string;
  caseId: string;
  kind: string;
  householdId: string | null;
  householdNumber: string | null;
  headName: string | null;
  villageCode: string;
  villageName: string | null;
  step: string;
  role: string;
  regionCode: string;
  dueAt: string;
  availableAt: string | null;
  canDecideNow: boolean;
  overdue: boolean;
  escalated: boolean;
  assigneeId: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CaseTask {
  id: string;
  step: string;
  role: string;
  regionCode: string;
  status: string;
  dueAt: string;
  availableAt: string | null;
  overdue: boolean;
  escalatedTo: { role: string; regionCode: string } | null;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** A case as the list shows it (GET /cases). */
export type CaseRow = Omit<CaseDetail, 'tasks' | 'notices' | 'timeline' | 'householdNumber' | 'late' | 'temporalUrl'>;

export interface CaseDetail {
  id: string;
  kind: string;
  workflowId: string;
  householdId: string | null;
  householdNumber?: string | null;
  regionCode: string;
  year: number;
  status: string;
  step: string;
  round: number;
  dueAt: string | null;
  reason: string;
  outcome: string | null;
  openedBy: string;
  createdAt: string;
  closedAt: string | null;
  late?: boolean;
  tasks: CaseTask[];
  notices: {
    id: string;
    title: string;
    regionCode: string;
    status: string;
    startsAt: string;
    endsAt: string;
    objections?: { id: string; content: string; status: string; createdAt: string }[];
  }[];
  timeline: {
    at: string;
    actorId: string;
    actorRole: string;
    action: string;
    entity: string;
    entityId: string;
    after: unknown;
  }[];
  temporalUrl?: string | null;
}

export interface CaseState {
  caseId: string;
  status: string;
  step: string;
  dueAt: string | null;
  outcome: string | null;
  openTasks: {
    taskId: string;
    step: string;
    role: string;
    regionCode: string;
    dueAt: string;
    availableAt: string | null;
  }[];
}

export interface HouseholdSummary {
  id: string;
  number: string;
  villageCode: string;
  headName: string;
  status: string;
  attribute: string;
  mainCause: string;
  netIncomePerHead: number | null;
  memberCount: number;
  helperId: string | null;
  identifiedYear: number | null;
  exitYear: number | null;
  monitoringType: string | null;
}

export interface Member {
  id: string;
  name: string;
  idNumber: string;
  relation: string;
  sex: string;
  /** County and admin only: below county the API gives the age, never the birth date (it would rebuild the masked ID number). */
  birthDate?: string;
  age: number;
  education: string | null;
  schooling: string | null;
  health: string;
  labourCapacity: string;
  workStatus: string | null;
  medicalInsurance: boolean;
  pensionInsurance: boolean;
  active: boolean;
}

export interface Assessment {
  id: string;
  year: number;
  assessedOn: string;
  wageIncome: number;
  businessIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  people: number;
  netIncomePerHead: number;
  food: boolean;
  clothing: boolean;
  education: boolean;
  medical: boolean;
  housing: boolean;
  water: boolean;
}

export interface HouseholdDetail extends HouseholdSummary {
  address: string | null;
  secondaryCauses: string[];
  members: Member[];
  assessments: Assessment[];
  measures: { id: string; kind: string; description: string; year: number; amount: number | null; startedOn: string }[];
  helper: { id: string; name: string } | null;
  /** This year's lines for the household's region. */
  standard: { year: number; povertyLine: number | null; monitoringLine: number | null };
}

export interface Notice {
  id: string;
  caseId: string;
  regionCode: string;
  title: string;
  body: string;
  days: number;
  startsAt: string;
  endsAt: string;
  status: string;
  objections: number;
}
