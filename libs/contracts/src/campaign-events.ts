import { z } from 'zod';

/** The payload of `cases.campaign-late` (CampaignSubjects.villageLate). */
const code = z.string().regex(/^\d{12}$/);
export const campaignLateData = z.object({
  caseId: z.string().uuid(),
  event: z.enum(['reminder', 'overdue', 'escalated-township', 'escalated-county']),
  villageCode: code,
  /** Who hears of it: the village, its township or the county. */
  audience: z.object({ role: z.string(), regionCode: code }),
  open: z.number().int(),
  dueAt: z.string().datetime({ offset: true }),
});
export type CampaignLateData = z.infer<typeof campaignLateData>;
