import { z } from 'zod';

/**
 * Events the registry publishes (stream REGISTRY, subjects `registry.>`). Payloads carry ids,
 * numbers and codes only: never an ID number, phone number or health detail.
 */
export const RegistrySubjects = {
  householdCreated: 'registry.household.created',
  householdChanged: 'registry.household.changed',
  memberAdded: 'registry.member.added',
  assessmentRecorded: 'registry.assessment.recorded',
  measureAdded: 'registry.measure.added',
  helperAssigned: 'registry.household.helper-assigned',
  importFinished: 'registry.import.finished',
} as const;

const uuid = z.string().uuid();
const regionCode = z.string().regex(/^\d{12}$/);

export const householdRef = z.object({ householdId: uuid, number: z.string(), villageCode: regionCode });

export const householdCreatedData = householdRef.extend({
  status: z.string(),
  memberCount: z.number().int(),
  origin: z.enum(['api', 'import', 'seed', 'split']),
});

/** A direct edit names the fields; an announcement also names its case and procedure kind. */
export const householdChangedData = householdRef.extend({
  fields: z.array(z.string()),
  caseId: uuid.optional(),
  kind: z.string().optional(),
});

export const memberAddedData = householdRef.extend({ memberId: uuid, relation: z.string() });

export const assessmentRecordedData = householdRef.extend({
  assessmentId: uuid,
  year: z.number().int(),
  netIncomePerHead: z.number().int(),
  unmetBasicNeeds: z.array(z.string()),
});

export const measureAddedData = householdRef.extend({ measureId: uuid, kind: z.string() });

export const helperAssignedData = householdRef.extend({
  helperId: z.string(),
  previousHelperId: z.string().nullable(),
});

export const importFinishedData = z.object({
  importId: uuid,
  okRows: z.number().int(),
  errorRows: z.number().int(),
  households: z.number().int(),
});
