import { z } from 'zod';
import { countsByStatus, day, obj, page, ts } from './common';

export const userViewSchema = obj({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  regionCode: z.string(),
  regionName: z.string().optional(),
});
export const tokenSchema = obj({ accessToken: z.string(), expiresIn: z.number().int().describe('seconds') });
export const userRowSchema = obj({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  regionCode: z.string(),
  active: z.boolean(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});
export const userUpdatedSchema = obj({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  regionCode: z.string(),
  active: z.boolean(),
  oidcSubject: z.string().nullable(),
});

export const regionSchema = obj({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  parentCode: z.string().nullable(),
  western: z.boolean(),
  ruralPopulation: z.number().int().nullable(),
  /** 贫困村: designated since (year), null when not a designated poor village. */
  designatedSince: z.number().int().nullable(),
  /** 贫困村退出: the year the village exited, null while it has not. */
  exitYear: z.number().int().nullable(),
});
export const designationsSetSchema = obj({ updated: z.number().int(), unchanged: z.number().int() });
export const regionStatsSchema = obj({
  code: z.string(),
  ruralPopulation: z.number().int().nullable(),
  poorPopulation: z.number().int(),
  monitoredPopulation: z.number().int(),
  incidence: z.number().nullable(),
  households: countsByStatus,
});

export const householdSummarySchema = obj({
  id: z.string(),
  number: z.string(),
  villageCode: z.string(),
  headName: z.string(),
  status: z.string(),
  attribute: z.string(),
  mainCause: z.string(),
  secondaryCauses: z.array(z.string()),
  identifiedYear: z.number().int().nullable(),
  exitYear: z.number().int().nullable(),
  monitoringType: z.string().nullable(),
  helperId: z.string().nullable(),
  address: z.string().nullable(),
  netIncomePerHead: z.number().int().nullable(),
  memberCount: z.number().int(),
  version: z.number().int(),
  createdAt: ts,
  updatedAt: ts,
});
export const householdListItemSchema = householdSummarySchema.extend({
  headIdNumber: z.string().nullable().describe('Masked below county'),
  villageName: z.string().nullable().describe('行政村'),
  townshipName: z.string().nullable().describe('乡镇'),
});
export const memberSchema = obj({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().describe('Full for county and admin; masked (first 6, last 4) below'),
  relation: z.string(),
  sex: z.string(),
  birthDate: day.optional().describe('County and admin only'),
  age: z.number().int(),
  education: z.string().nullable(),
  schooling: z.string().nullable(),
  health: z.string(),
  labourCapacity: z.string(),
  workStatus: z.string().nullable(),
  medicalInsurance: z.boolean(),
  pensionInsurance: z.boolean(),
  active: z.boolean(),
  leftAt: ts.nullable(),
  leftReason: z.string().nullable(),
});
export const assessmentSchema = obj({
  id: z.string(),
  year: z.number().int(),
  assessedOn: day,
  wageIncome: z.number().int(),
  businessIncome: z.number().int(),
  propertyIncome: z.number().int(),
  transferIncome: z.number().int(),
  productionCosts: z.number().int(),
  people: z.number().int(),
  netIncomePerHead: z.number().int(),
  food: z.boolean(),
  clothing: z.boolean(),
  education: z.boolean(),
  medical: z.boolean(),
  housing: z.boolean(),
  water: z.boolean(),
});
export const measureSchema = obj({
  id: z.string(),
  kind: z.string(),
  description: z.string(),
  year: z.number().int(),
  amount: z.number().nullable(),
  startedOn: day,
  endedOn: day.nullable(),
});
export const householdDetailSchema = householdSummarySchema.extend({
  helper: obj({ id: z.string(), name: z.string() }).nullable(),
  standard: obj({
    year: z.number().int(),
    povertyLine: z.number().int().nullable(),
    monitoringLine: z.number().int().nullable(),
  }).describe("This year's lines for the household's region (forms compute income per head against them)"),
  members: z.array(memberSchema),
  assessments: z.array(assessmentSchema),
  measures: z.array(measureSchema),
});
export const householdPageSchema = page(householdListItemSchema);
export const memberAddedSchema = obj({ memberId: z.string(), household: householdDetailSchema });
export const householdHistorySchema = obj({
  householdId: z.string(),
  number: z.string(),
  items: z.array(
    obj({
      id: z.string(),
      at: ts,
      actorId: z.string(),
      actorRole: z.string(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string(),
      caseId: z.string().nullable(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
});

const areaCounts = obj({
  code: z.string(),
  name: z.string(),
  households: countsByStatus,
  overdueTasks: z.number().int(),
  overdueRevisits: z.number().int(),
});
export const dashboardSchema = obj({
  regionCode: z.string().nullable().describe('null: the whole country (admin)'),
  areas: z.array(areaCounts),
  villages: z.array(
    obj({
      code: z.string(),
      name: z.string(),
      ruralPopulation: z.number().int().nullable(),
      poorPopulation: z.number().int(),
      incidence: z.number().nullable(),
      threshold: z.number(),
    }),
  ),
  casesInFlight: z.array(obj({ kind: z.string(), step: z.string(), count: z.number().int() })),
  mine: obj({ open: z.number().int(), overdue: z.number().int() }),
  totals: obj({ openTasks: z.number().int(), overdueTasks: z.number().int(), overdueRevisits: z.number().int() }),
});

export const importStartedSchema = obj({
  id: z.string(),
  status: z.string(),
  totalRows: z.number().int(),
  progressUrl: z.string(),
});
/** One refused cell of an import: the sheet's row, the column's Chinese header, why. */
const rowError = obj({ row: z.number().int(), column: z.string(), reason: z.string() });
export const importReportSchema = obj({
  importId: z.string(),
  status: z.string(),
  totalRows: z.number().int(),
  okRows: z.number().int(),
  errorRows: z.number().int(),
  households: z.number().int(),
  skippedHouseholds: z.number().int(),
  errors: z.array(rowError),
  errorReportUrl: z.string(),
});
export const importJobSchema = obj({
  id: z.string(),
  fileName: z.string(),
  status: z.string(),
  totalRows: z.number().int(),
  okRows: z.number().int(),
  errorRows: z.number().int(),
  progress: z.number(),
  startedBy: z.string(),
  createdAt: ts,
  finishedAt: ts.nullable(),
  errors: z.array(rowError),
  errorReportUrl: z.string(),
});
