import { z } from 'zod';
import { obj, ts } from './common';

const PHASES = ['deployment', 'visits', 'entry', 'cleaning', 'audit', 'feedback', 'summary'] as const;
/** The campaign's phase windows, in order (a phase starts where the one before it ends). */
const calendar = z.array(obj({ phase: z.enum(PHASES), startsAt: ts, endsAt: ts }));
const progress = obj({
  inScope: z.number().int(),
  opened: z.number().int(),
  verified: z.number().int(),
  villages: z.array(
    obj({ villageCode: z.string(), townshipCode: z.string(), inScope: z.number().int(), verified: z.number().int() }),
  ),
  casesByKind: z.record(z.string(), z.number().int()),
});

export const campaignPreviewSchema = obj({
  countyCode: z.string(),
  year: z.number().int(),
  marginalLine: z.number(),
  households: z.number().int(),
  byCategory: z.record(z.string(), obj({ label: z.string(), households: z.number().int() })),
  townships: z.array(
    obj({ code: z.string(), name: z.string().nullable(), villages: z.number().int(), households: z.number().int() }),
  ),
  villages: z.array(
    obj({
      code: z.string(),
      name: z.string(),
      townshipCode: z.string(),
      households: z.number().int(),
      categories: z.array(z.string()),
    }),
  ),
});
export const campaignStartedSchema = obj({
  id: z.string(),
  workflowId: z.string(),
  status: z.string(),
  step: z.string(),
  households: z.number().int(),
  calendar,
});
export const campaignListItemSchema = obj({
  id: z.string(),
  workflowId: z.string(),
  countyCode: z.string().nullable(),
  year: z.number().int(),
  status: z.string(),
  step: z.string(),
  dueAt: ts.nullable(),
  households: z.number().int().nullable(),
  createdAt: ts,
  outcome: z.string().nullable(),
});
/** The campaign as its workflow holds it (phase, calendar, per-village progress, problems, audit). */
export const campaignStateSchema = obj({
  caseId: z.string(),
  workflowId: z.string(),
  countyCode: z.string().nullable(),
  year: z.number().int(),
  phase: z.enum([...PHASES, 'finished']),
  status: z.enum(['OPEN', 'COMPLETED', 'CANCELLED']),
  calendar,
});
export const campaignSchema = campaignStateSchema.extend({
  progress,
  progressAt: ts,
  townships: z.array(
    obj({ code: z.string(), name: z.string().nullable(), inScope: z.number().int(), verified: z.number().int() }),
  ),
  cases: z.array(obj({ kind: z.string(), status: z.string(), n: z.number().int() })),
  problems: z.array(
    obj({
      townshipCode: z.string(),
      name: z.string().nullable(),
      open: z.number().int(),
      explained: z.number().int(),
      fixed: z.number().int(),
      accepted: z.number().int(),
      rejected: z.number().int(),
    }),
  ),
  audit: obj({ taskId: z.string(), openedAt: ts, dueAt: ts, owed: z.number().int() }).nullable(),
});
export const verificationRecordedSchema = obj({
  verificationId: z.string(),
  householdId: z.string(),
  unmetCriteria: z.array(z.string()),
  findings: z.array(
    obj({
      kind: z.string().describe('The procedure a finding opened, or data_fix / measure (recorded, no case)'),
      what: z.string(),
      caseId: z.string().nullable().optional(),
      refused: z.string().optional().describe('Why the procedure was not opened (or that one was already open)'),
    }),
  ),
});
const byKind = z.record(z.string(), z.number().int());
const figures = obj({
  regionCode: z.string(),
  householdsInScope: z.number().int(),
  householdsVerified: z.number().int(),
  peopleVerified: z.number().int(),
  completed: byKind,
  open: byKind,
  membersAdded: byKind,
  membersRemoved: byKind,
  problems: obj({
    found: z.number().int(),
    fixed: z.number().int(),
    explained: z.number().int(),
    open: z.number().int(),
  }),
});
export const summaryFiguresSchema = obj({
  year: z.number().int(),
  regionCode: z.string(),
  regionName: z.string(),
  figures,
  townships: z.array(obj({ name: z.string(), figures })),
});
export const cleaningRunSchema = obj({
  newItems: z.record(z.string(), z.number().int()).describe('New problem items by rule'),
});
export const problemSchema = obj({
  id: z.string(),
  householdId: z.string().nullable(),
  householdNumber: z.string().nullable(),
  villageCode: z.string(),
  villageName: z.string().nullable(),
  townshipCode: z.string(),
  townshipName: z.string().nullable(),
  rule: z.string(),
  ruleLabel: z.string(),
  description: z.string(),
  fixBy: ts.nullable(),
  status: z.string(),
  explanation: z.string().nullable(),
  reviewComment: z.string().nullable(),
});
export const problemStatusSchema = obj({ id: z.string(), status: z.string() });
export const provinceImportSchema = obj({
  imported: z.number().int(),
  errors: z.array(obj({ row: z.number().int(), message: z.string() })),
});

export const entryExtendedSchema = obj({ caseId: z.string(), until: z.string(), endsAt: ts });
