import { z } from 'zod';
import { BASIC_NEEDS, type BasicNeeds } from './income';

/** Risks a revisit can find (the 监测 risk categories of the 2021 防返贫 guidance). */
export const REVISIT_RISKS = [
  'income_drop',
  'illness',
  'disability',
  'disaster',
  'unemployment',
  'school_dropout',
  'housing_danger',
  'other',
] as const;
export type RevisitRisk = (typeof REVISIT_RISKS)[number];

/** 回访 record: the short structured form a helper fills in on the revisit task (decision `approve`). */
export const revisitFormSchema = z.object({
  incomeChange: z.enum(['up', 'same', 'down']).describe('收入变化: 增加 / 持平 / 减少'),
  newRisks: z.array(z.enum(REVISIT_RISKS)).max(REVISIT_RISKS.length).default([]).describe('新发现的风险'),
  needs: z
    .object(Object.fromEntries(BASIC_NEEDS.map((k) => [k, z.boolean()])) as Record<keyof BasicNeeds, z.ZodBoolean>)
    .describe('两不愁三保障及饮水安全是否仍有保障'),
  note: z.string().trim().max(500).default('').describe('备注 (不得填写身份证号等敏感信息)'),
});
export type RevisitForm = z.infer<typeof revisitFormSchema>;

/**
 * A revisit that finds any new risk, a drop in income, or a basic need no longer secure is a risk
 * clue: the household goes to monitoring inclusion (DESIGN.md: "a visit that finds risk starts
 * monitoring inclusion"). Returns the reasons, empty when the visit found nothing.
 */
export function revisitRiskReasons(form: RevisitForm): string[] {
  const out: string[] = form.newRisks.map((r) => `回访发现风险: ${r}`);
  if (form.incomeChange === 'down') out.push('回访发现收入减少');
  for (const k of BASIC_NEEDS) if (!form.needs[k]) out.push(`回访发现 ${k} 保障不足`);
  return out;
}

export { addCadence, isCadence } from './cadence';
