import {
  CampaignSubjects,
  CaseSubjects,
  EventPayloadError,
  EventPayloads,
  parseEventPayload,
  RegistrySubjects,
  RevisitSubjects,
  TaskSubjects,
  TriageSubjects,
  NoticeSubjects,
} from './index';

const task = {
  taskId: '0192f0c4-1a2b-7c3d-8e4f-0123456789ab',
  caseId: '0192f0c4-1a2b-7c3d-8e4f-0123456789ac',
  kind: 'exit',
  step: 'village.appraisal',
  role: 'village',
  regionCode: '411599001001',
  dueAt: '2026-12-31T16:00:00.000Z',
  householdId: null,
  assigneeId: null,
  householdNumber: '41159900100100001',
};

describe('event payload schemas', () => {
  it('has a schema for every subject a service publishes', () => {
    const published = [
      TaskSubjects,
      RevisitSubjects,
      NoticeSubjects,
      CaseSubjects,
      CampaignSubjects,
      RegistrySubjects,
      TriageSubjects,
    ].flatMap((s) => Object.values(s));
    expect(published.filter((s) => !(s in EventPayloads))).toEqual([]);
    expect(Object.keys(EventPayloads).filter((s) => !published.includes(s as never))).toEqual([]);
  });

  it('parses a task event into typed data, narrowed by subject', () => {
    const e = parseEventPayload(TaskSubjects.escalated, {
      ...task,
      escalatedTo: { role: 'township', regionCode: '411599001000' },
    });
    expect(e.subject).toBe(TaskSubjects.escalated);
    if (e.subject === TaskSubjects.escalated) expect(e.data.escalatedTo?.role).toBe('township');
  });

  it('refuses a wrong shape naming the subject and the field, and an unknown subject', () => {
    expect(() => parseEventPayload(TaskSubjects.opened, { ...task, dueAt: 'tomorrow' })).toThrow(
      /tasks\.opened: dueAt/,
    );
    expect(() => parseEventPayload(RevisitSubjects.recorded, { visitId: task.taskId })).toThrow(EventPayloadError);
    expect(() => parseEventPayload('registry.member.left', {})).toThrow(/unknown event subject/);
  });
});
