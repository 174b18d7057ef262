import {
  CampaignSubjects,
  CaseSubjects,
  NoticeSubjects,
  RevisitSubjects,
  TaskSubjects,
  TriageSubjects,
  type ParsedEvent,
  type TaskEventData,
} from '@jingzhun/contracts';
import { parentCodeOf } from '@jingzhun/domain';
import type { Audience } from './recipients';
import { templates, type TaskFacts } from './templates';

export type Channel = 'sms' | 'email';

export interface Planned {
  audience: Audience;
  kind: string;
  /** Per recipient: the same key twice is one notification (one reminder per task per stage). */
  dedupeKey: string;
  text: { title: string; body: string };
  link: Record<string, unknown>;
  channels: Channel[];
}

/** What an event tells whom: one plan per audience, with its text, link, channels and dedupe key. */
export function planNotifications(e: ParsedEvent): Planned[] {
  switch (e.subject) {
    case TaskSubjects.opened:
    case RevisitSubjects.opened:
      return [taskPlan(e.subject, e.data, `opened:${e.data.assigneeId ?? ''}`, templates.opened, [], null)];
    case TaskSubjects.reminder:
    case RevisitSubjects.reminder:
      return [taskPlan(e.subject, e.data, 'reminder', templates.reminder, ['sms'], null)];
    case TaskSubjects.overdue:
    case RevisitSubjects.overdue:
      return [taskPlan(e.subject, e.data, 'overdue', templates.overdue, ['sms'], null)];
    case TaskSubjects.escalated:
    case RevisitSubjects.escalated: {
      const to = e.data.escalatedTo;
      return to
        ? [
            taskPlan(e.subject, e.data, `escalated:${to.role}`, templates.escalated, ['sms', 'email'], {
              role: to.role,
              regionCode: to.regionCode,
            }),
          ]
        : [];
    }
    case RevisitSubjects.recorded: {
      const d = e.data;
      return d.risky
        ? [
            {
              audience: { role: 'village', regionCode: d.villageCode },
              kind: e.subject,
              dedupeKey: `visit:${d.visitId}`,
              text: templates.revisitRisk(d),
              link: { householdId: d.householdId, householdNumber: d.householdNumber },
              channels: [],
            },
          ]
        : [];
    }
    case NoticeSubjects.published: {
      const d = e.data;
      return [
        {
          audience: { role: 'village', regionCode: d.regionCode },
          kind: e.subject,
          dedupeKey: `notice:${d.noticeId}`,
          text: templates.noticePublished(d),
          link: { noticeId: d.noticeId, caseId: d.caseId },
          channels: [],
        },
      ];
    }
    case CaseSubjects.late: {
      const d = e.data;
      return [
        {
          audience: { role: 'county', regionCode: d.countyCode },
          kind: e.subject,
          dedupeKey: `late:${d.caseId}`,
          text: templates.caseLate(d),
          link: { caseId: d.caseId, householdId: d.householdId },
          channels: ['email'],
        },
      ];
    }
    case CampaignSubjects.villageLate: {
      const d = e.data;
      const channels: Channel[] = d.event === 'reminder' ? [] : d.event === 'overdue' ? ['sms'] : ['sms', 'email'];
      return [
        {
          audience: d.audience,
          kind: e.subject,
          dedupeKey: `campaign:${d.caseId}:${d.event}:${d.villageCode}`,
          text: templates.campaignLate(d),
          link: { caseId: d.caseId, villageCode: d.villageCode },
          channels,
        },
      ];
    }
    case TriageSubjects.opened: {
      const d = e.data;
      const region = d.villageCode ? (parentCodeOf(d.villageCode) ?? d.villageCode) : d.countyCode;
      if (!region) return [];
      const role = d.villageCode ? 'township' : 'county';
      return [
        {
          audience: { role, regionCode: region },
          kind: e.subject,
          dedupeKey: `alert:${d.alertId}`,
          text: templates.alertTriage(d),
          link: { alertId: d.alertId, householdId: d.householdId, householdNumber: d.householdNumber },
          channels: [],
        },
      ];
    }
    default:
      return [];
  }
}

/** A notice to whoever owes the task (its one assignee, or the role at the region), or to `escalatedTo`. */
function taskPlan(
  subject: string,
  d: TaskEventData,
  stage: string,
  text: (f: TaskFacts) => Planned['text'],
  channels: Channel[],
  escalatedTo: Audience | null,
): Planned {
  const owner: Audience = d.assigneeId
    ? { userId: d.assigneeId, regionHint: d.regionCode }
    : { role: d.role, regionCode: d.regionCode };
  const facts: TaskFacts = { step: d.step, householdNumber: d.householdNumber, dueAt: d.dueAt };
  const link = {
    taskId: d.taskId,
    caseId: d.caseId,
    householdId: d.householdId,
    householdNumber: d.householdNumber,
    dueAt: d.dueAt,
  };
  return {
    audience: escalatedTo ?? owner,
    kind: subject,
    dedupeKey: `${d.taskId}:${stage}`,
    text: text(facts),
    link,
    channels,
  };
}

/**
 * Open items per cadre, for the daily digest: a task's opening sets them to exactly its owners (a
 * reassigned revisit moves to its new helper), its closing removes them; other events leave them.
 */
