import { z } from 'zod';
import { obj, page, ts } from './common';

export const alertReceivedSchema = obj({ id: z.string(), status: z.string(), duplicate: z.boolean() });
export const alertSchema = obj({
  id: z.string(),
  department: z.string(),
  externalId: z.string(),
  kind: z.string(),
  idMasked: z.string().nullable(),
  regionCode: z.string().nullable(),
  occurredAt: ts,
  amount: z.number().nullable(),
  status: z.string(),
  householdId: z.string().nullable(),
  householdNumber: z.string().nullable(),
  ruleHits: z.unknown(),
  risky: z.boolean(),
  receivedVia: z.string(),
  triage: obj({
    by: z.string(),
    at: ts.nullable(),
    comment: z.string().nullable(),
    caseId: z.string().nullable(),
  }).nullable(),
  createdAt: ts,
});
export const alertPageSchema = page(alertSchema);

export const notificationSchema = obj({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.record(z.string(), z.unknown()).describe('Where the console opens it: { taskId, caseId, … }'),
  createdAt: ts,
  readAt: ts.nullable(),
  channels: z.array(obj({ channel: z.string(), status: z.string(), deferred: z.boolean(), sentAt: ts.nullable() })),
});
export const notificationPageSchema = page(notificationSchema).extend({ unread: z.number().int() });
export const unreadCountSchema = obj({ unread: z.number().int() });
export const notificationReadSchema = obj({ id: z.string(), readAt: ts });
