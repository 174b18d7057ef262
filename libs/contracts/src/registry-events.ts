import { z } from 'zod';

/**
 * Events the registry publishes (stream REGISTRY, subjects `registry.>`). Payloads carry ids,
 * numbers and codes only: never an ID number, phone number or health detail.
 */
export const RegistrySubjects = {
  householdCreated: 'registry.household.created',
  householdChanged: 'registry.household.changed',
  memberAdded: 'registry.member.added',
  memberLeft: 'registry.member.left',
  assessmentRecorded: 'registry.assessment.recorded',
  measureAdded: 'registry.measure.added',
  helperAssigned: 'registry.household.helper-assigned',
  importFinished: 'registry.import.finished',
} as const;

export const householdRef = z.object({
  householdId: z.string().uuid(),
  number: z.string(),
  villageCode: z.string().length(12),
});

export const householdCreatedData = householdRef.extend({
  status: z.string(),
  memberCount: z.number().int(),
  origin: z.enum(['api', 'import', 'seed']),
});

export const householdChangedData = householdRef.extend({ fields: z.array(z.string()) });

export const memberAddedData = householdRef.extend({ memberId: z.string().uuid(), relation: z.string() });

export const assessmentRecordedData = householdRef.extend({
  assessmentId: z.string().uuid(),
  year: z.number().int(),
  netIncomePerHead: z.number().int(),
  unmetBasicNeeds: z.array(z.string()),
});

export const helperAssignedData = householdRef.extend({ helperId: z.string(), previousHelperId: z.string().nullable() });

export const importFinishedData = z.object({
  importId: z.string().uuid(),
  okRows: z.number().int(),
  errorRows: z.number().int(),
  households: z.number().int(),
});
