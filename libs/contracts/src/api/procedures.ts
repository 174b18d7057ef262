import { z } from 'zod';
import { obj, page, ts } from './common';

export const caseStartedSchema = obj({
  id: z.string(),
  workflowId: z.string(),
  status: z.string(),
  step: z.string(),
  kind: z.string(),
});
export const caseSchema = obj({
  id: z.string(),
  kind: z.string(),
  workflowId: z.string(),
  householdId: z.string().nullable(),
  regionCode: z.string(),
  year: z.number().int(),
  status: z.string(),
  step: z.string(),
  round: z.number().int(),
  dueAt: ts.nullable(),
  reason: z.string(),
  outcome: z.string().nullable(),
  openedBy: z.string(),
  createdAt: ts,
  closedAt: ts.nullable(),
});
export const casePageSchema = page(caseSchema);
export const caseDetailSchema = caseSchema.extend({
  householdNumber: z.string().nullable(),
  late: z.boolean(),
  temporalUrl: z.string().nullable().describe('Admins: the workflow in the Temporal Web UI'),
  tasks: z.array(
    obj({
      id: z.string(),
      step: z.string(),
      role: z.string(),
      regionCode: z.string(),
      status: z.string(),
      dueAt: ts,
      availableAt: ts.nullable(),
      overdue: z.boolean(),
      escalatedTo: obj({ role: z.string(), regionCode: z.string().nullable() }).nullable(),
      decision: z.string().nullable(),
      decidedBy: z.string().nullable(),
      decidedAt: ts.nullable(),
    }),
  ),
  notices: z.array(
    obj({
      id: z.string(),
      title: z.string(),
      regionCode: z.string(),
      status: z.string(),
      startsAt: ts,
      endsAt: ts,
      objections: z.array(
        obj({ id: z.string(), content: z.string(), status: z.string(), createdAt: ts, resolvedAt: ts.nullable() }),
      ),
    }),
  ),
  timeline: z.array(
    obj({
      at: ts,
      actorId: z.string(),
      actorRole: z.string(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string(),
      after: z.unknown(),
    }),
  ),
});

/**
 * 决定依据: what the law asks the deciding level to check, from the procedure catalogue, on the
 * household's live facts — shown beside the decision in the drawer and on the case page.
 */
const line = obj({ label: z.string(), value: z.string() });
export const caseEvidenceSchema = obj({
  caseId: z.string(),
  kind: z.string(),
  step: z.string().describe("The step the evidence is shown for (the case's current one, or ?step=)"),
  duty: z.string().describe('What this level must establish at this step'),
  sections: z.array(z.enum(['checks', 'assessment', 'member_changes', 'objections', 'notices', 'decisions'])),
  household: obj({
    id: z.string(),
    number: z.string(),
    headName: z.string(),
    status: z.string(),
    villageCode: z.string(),
    villageName: z.string().nullable(),
    townshipName: z.string().nullable(),
    residents: z.number().int(),
  }).nullable(),
  assessment: obj({
    year: z.number().int(),
    assessedOn: z.string().nullable(),
    incomes: z.array(obj({ key: z.string(), label: z.string(), yuan: z.number().int() })),
    netIncome: z.number().int().nullable(),
    residents: z.number().int(),
    perHead: z.number().int().nullable(),
    povertyLine: z.number().int().nullable(),
    monitoringLine: z.number().int().nullable(),
    needs: z.array(obj({ key: z.string(), label: z.string(), ok: z.boolean() })),
  }).nullable(),
  checks: z.array(obj({ label: z.string(), ok: z.boolean(), detail: z.string() })),
  memberChanges: obj({
    items: z.array(obj({ change: z.string(), label: z.string(), detail: z.string() })),
    residentsBefore: z.number().int(),
    residentsAfter: z.number().int(),
    perHeadBefore: z.number().int().nullable(),
    perHeadAfter: z.number().int().nullable(),
    applied: z.boolean().describe('The changes are in the registry (announced)'),
  }).nullable(),
  objections: z.array(
    obj({
      id: z.string(),
      noticeTitle: z.string(),
      content: z.string(),
      raisedBy: z.string().nullable(),
      raisedAt: ts,
      status: z.string(),
      finding: z.string().nullable(),
      evidence: z.string().nullable(),
      decision: z.string().nullable(),
      decidedBy: z.string().nullable(),
      decidedAt: ts.nullable(),
    }),
  ),
  notices: z.array(obj({ title: z.string(), days: z.number().int(), startsAt: ts, endsAt: ts, status: z.string() })),
  decisions: z.array(
    obj({
      step: z.string(),
      label: z.string(),
      decision: z.string(),
      decidedBy: z.string().nullable(),
      decidedAt: ts.nullable(),
      comment: z.string().nullable(),
      record: z.array(line),
    }),
  ),
});

/** 发起前核对: every condition the start checks, pass or fail with its figure (the start answers the failed ones with a 409). */
export const casePreflightSchema = obj({
  kind: z.string(),
  year: z.number().int(),
  checks: z.array(obj({ label: z.string(), ok: z.boolean(), detail: z.string() })),
});

export const inboxTaskSchema = obj({
  id: z.string(),
  caseId: z.string(),
  kind: z.string(),
  householdId: z.string().nullable(),
  householdNumber: z.string().nullable(),
  headName: z.string().nullable(),
  villageCode: z.string(),
  villageName: z.string().nullable(),
  reason: z.string(),
  step: z.string(),
  role: z.string(),
  regionCode: z.string(),
  dueAt: ts,
  assigneeId: z.string().nullable(),
  availableAt: ts.nullable(),
  canDecideNow: z.boolean(),
  overdue: z.boolean(),
  escalated: z.boolean(),
});
export const inboxPageSchema = page(inboxTaskSchema);
/** The case as its workflow holds it once the decision is applied. */
export const caseStateSchema = obj({
  caseId: z.string(),
  workflowId: z.string(),
  kind: z.string(),
  status: z.string(),
  step: z.string(),
  dueAt: ts.nullable(),
  round: z.number().int(),
  openTasks: z.array(
    obj({
      taskId: z.string(),
      step: z.string(),
      role: z.string(),
      regionCode: z.string(),
      dueAt: ts,
      availableAt: ts.nullable(),
    }),
  ),
  notice: obj({ noticeId: z.string(), endsAt: ts, openObjections: z.number().int() }).nullable(),
  outcome: z.string().nullable(),
});

export const noticeSchema = obj({
  id: z.string(),
  caseId: z.string(),
  regionCode: z.string(),
  title: z.string(),
  body: z.string(),
  days: z.number().int(),
  startsAt: ts,
  endsAt: ts,
  status: z.string(),
  objections: z.number().int(),
});
export const objectionFiledSchema = obj({ id: z.string(), noticeId: z.string(), status: z.string(), createdAt: ts });

export const cadenceSetSchema = obj({
  caseId: z.string(),
  workflowId: z.string(),
  cadence: z.string(),
  appliesFrom: z.string(),
});
export const followUpSchema = obj({
  householdId: z.string(),
  number: z.string(),
  status: z.string(),
  followUp: obj({
    caseId: z.string(),
    workflowId: z.string(),
    nextDueAt: ts.nullable(),
    overdue: z.boolean(),
    overdueCount: z.number().int().nullable(),
    cycle: z.number().int().nullable(),
    helperId: z.string().nullable(),
    cadence: z.string().nullable(),
  }).nullable(),
  visits: z.array(obj({ id: z.string(), visitedAt: ts, visitedBy: z.string(), risky: z.boolean(), late: z.boolean() })),
});

/** 回访覆盖: households that need a follow-up (exited inside the transition window, monitored) and the follow-ups running, in the caller's jurisdiction. */
export const followUpCoverageSchema = obj({
  regionCode: z.string(),
  needed: z.number().int(),
  exited: z.number().int(),
  monitored: z.number().int(),
  live: z.number().int(),
  transition: obj({ from: z.string(), until: z.string(), open: z.boolean() }),
  sweep: obj({
    startedAt: ts,
    finishedAt: ts.nullable(),
    missing: z.number().int(),
    started: z.number().int(),
    ended: z.number().int(),
    failed: z.number().int(),
  }).nullable(),
});

/** 公告 as published: its number, the procedure, the village, the text (no personal data). */
export const announcementSchema = obj({
  id: z.string(),
  caseId: z.string(),
  number: z.string(),
  kind: z.string(),
  regionCode: z.string(),
  title: z.string(),
  body: z.string(),
  publishedAt: ts,
});
export const announcementPageSchema = page(announcementSchema);

/** A photo of evidence (#24), without its bytes (GET /photos/{id} serves them to who may read the household). */
export const photoSchema = obj({
  id: z.string(),
  householdId: z.string(),
  caseId: z.string().nullable(),
  taskId: z.string().nullable(),
  label: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  uploadedBy: z.string(),
  takenAt: ts,
  receivedAt: ts,
});
