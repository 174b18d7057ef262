import { z } from 'zod';
import { CampaignSubjects } from './campaign';
import { campaignLateData } from './campaign-events';
import { TriageSubjects } from './monitoring';
import { CaseSubjects, NoticeSubjects, RevisitSubjects, TaskSubjects } from './procedures';
import {
  assessmentRecordedData,
  helperAssignedData,
  householdChangedData,
  householdCreatedData,
  importFinishedData,
  measureAddedData,
  memberAddedData,
  RegistrySubjects,
} from './registry-events';

const uuid = z.string().uuid();
const code = z.string().regex(/^\d{12}$/);
const instant = z.string().datetime({ offset: true });
const level = z.object({ role: z.string(), regionCode: code });

/** Every task event: who owes it (a role at a region, or one assignee), the step, the due date, the household number. */
export const taskEventData = z.object({
  taskId: uuid,
  caseId: uuid,
  kind: z.string(),
  step: z.string(),
  role: z.string(),
  regionCode: code,
  dueAt: instant,
  householdId: uuid.nullable(),
  assigneeId: z.string().nullable(),
  householdNumber: z.string().nullable(),
});
export type TaskEventData = z.infer<typeof taskEventData>;
export const taskClosedData = taskEventData.extend({ decision: z.string(), decidedBy: z.string().nullable() });
export const taskDeadlineData = taskEventData.extend({ escalatedTo: level.nullish() });

export const revisitRecordedData = z.object({
  visitId: uuid,
  taskId: uuid,
  caseId: uuid,
  householdId: uuid,
  householdNumber: z.string(),
  villageCode: code,
  risky: z.boolean(),
  late: z.boolean(),
  riskReasons: z.array(z.string()),
});

export const noticePublishedData = z.object({
  noticeId: uuid,
  caseId: uuid,
  regionCode: code,
  endsAt: instant,
  householdNumber: z.string().nullable(),
});
export const objectionFiledData = z.object({ objectionId: uuid, noticeId: uuid, caseId: uuid, regionCode: code });
export const noticeClosedData = z.object({ noticeId: uuid, caseId: uuid, status: z.enum(['ENDED', 'WITHDRAWN']) });

export const caseOpenedData = z.object({
  caseId: uuid,
  kind: z.string(),
  householdId: uuid.nullable(),
  regionCode: code,
  workflowId: z.string(),
});
export const caseFinishedData = z.object({
  caseId: uuid,
  kind: z.string(),
  status: z.string(),
  householdId: uuid.nullable(),
  regionCode: code,
});
export const caseLateData = z.object({
  caseId: uuid,
  kind: z.string(),
  step: z.string(),
  deadline: instant,
  householdId: uuid.nullable(),
  regionCode: code,
  countyCode: code,
  householdNumber: z.string().nullable(),
});

export const triageOpenedData = z.object({
  alertId: uuid,
  kind: z.string(),
  department: z.string(),
  status: z.string(),
  risky: z.boolean(),
  householdId: uuid.nullable(),
  householdNumber: z.string().nullable(),
  villageCode: code.nullable(),
  countyCode: code.nullable(),
});
export const triageDecidedData = z.object({
  alertId: uuid,
  status: z.string(),
  caseId: uuid.nullable(),
  householdId: uuid.nullable(),
  householdNumber: z.string().nullable(),
});

/**
 * The payload of every subject any service publishes, by subject: checked when the event is
 * recorded (a publisher that sends a wrong shape fails its own transaction, not a consumer far
 * away) and parsed by consumers into typed data. Payloads carry ids, numbers and codes only.
 */
export const EventPayloads = {
  [TaskSubjects.opened]: taskEventData,
  [TaskSubjects.reminder]: taskDeadlineData,
  [TaskSubjects.overdue]: taskDeadlineData,
  [TaskSubjects.escalated]: taskDeadlineData,
  [TaskSubjects.decided]: taskClosedData,
  [TaskSubjects.cancelled]: taskClosedData,
  [RevisitSubjects.opened]: taskEventData,
  [RevisitSubjects.reminder]: taskDeadlineData,
  [RevisitSubjects.overdue]: taskDeadlineData,
  [RevisitSubjects.escalated]: taskDeadlineData,
  [RevisitSubjects.decided]: taskClosedData,
  [RevisitSubjects.cancelled]: taskClosedData,
  [RevisitSubjects.recorded]: revisitRecordedData,
  [NoticeSubjects.published]: noticePublishedData,
  [NoticeSubjects.objection]: objectionFiledData,
  [NoticeSubjects.closed]: noticeClosedData,
  [CaseSubjects.opened]: caseOpenedData,
  [CaseSubjects.finished]: caseFinishedData,
  [CaseSubjects.late]: caseLateData,
  [CampaignSubjects.villageLate]: campaignLateData,
  [RegistrySubjects.householdCreated]: householdCreatedData,
  [RegistrySubjects.householdChanged]: householdChangedData,
  [RegistrySubjects.memberAdded]: memberAddedData,
  [RegistrySubjects.assessmentRecorded]: assessmentRecordedData,
  [RegistrySubjects.measureAdded]: measureAddedData,
  [RegistrySubjects.helperAssigned]: helperAssignedData,
  [RegistrySubjects.importFinished]: importFinishedData,
  [TriageSubjects.opened]: triageOpenedData,
  [TriageSubjects.decided]: triageDecidedData,
} as const satisfies Record<string, z.ZodType>;

export type EventSubject = keyof typeof EventPayloads;
export type EventPayload<S extends EventSubject> = z.infer<(typeof EventPayloads)[S]>;
/** A parsed event: narrowing on `subject` gives its typed `data`. */
export type ParsedEvent = { [S in EventSubject]: { subject: S; data: EventPayload<S> } }[EventSubject];

export class EventPayloadError extends Error {}

export function isEventSubject(subject: string): subject is EventSubject {
  return Object.hasOwn(EventPayloads, subject);
}

/** Checks a payload against its subject's schema; throws EventPayloadError naming the subject and field. */
export function parseEventPayload(subject: string, data: unknown): ParsedEvent {
  if (!isEventSubject(subject)) throw new EventPayloadError(`unknown event subject ${subject}`);
  const parsed = (EventPayloads[subject] as z.ZodType).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventPayloadError(`${subject}: ${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  }
  return { subject, data: parsed.data } as ParsedEvent;
}
