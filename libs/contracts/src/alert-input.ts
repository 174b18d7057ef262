import { z } from 'zod';
import { ALERT_KINDS } from './monitoring';

/**
 * A department alert, over HTTP (`POST /alerts`) or NATS. The ID number is hashed on arrival and
 * never stored, logged or published; a village-level alert (a disaster) gives `villageCode` instead.
 */
export const alertInputSchema = z
  .object({
    externalId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe("The department's own id of the alert: the same id twice is one alert"),
    kind: z.enum(ALERT_KINDS),
    idNumber: z.string().trim().optional().describe('18-digit ID number of the person concerned'),
    villageCode: z
      .string()
      .regex(/^\d{12}$/, '应为 12 位行政区划代码')
      .optional(),
    occurredAt: z.iso.datetime({ offset: true }),
    amount: z.number().int().min(0).max(100_000_000).optional().describe('Yuan: medical out-of-pocket, lost income'),
    details: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
  })
  .refine((a) => a.idNumber || a.villageCode, {
    message: '须有 idNumber (个人) 或 villageCode (村级)',
    path: ['idNumber'],
  });
export type AlertInput = z.infer<typeof alertInputSchema>;
