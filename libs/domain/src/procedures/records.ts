import { z } from 'zod';
import { cstDate } from '../china-time';
import { revisitFormSchema } from '../follow-up';
import { BASIC_NEEDS, type BasicNeeds } from '../income';
import { MONITORING_TYPES } from '../monitoring-criteria';
import { recordOf } from './catalogue';
import type { RecordName } from './steps';

/**
 * The record each step's decision carries, as zod schemas: read by the API (a 400 naming the field,
 * whatever the client) and by the registry's activity that verifies a decision, so a decision sent
 * straight to Temporal is checked too. Never imported by workflow code (STYLE.md: no zod there).
 */
const yuan = z
  .number({ error: '应为整数 (元)' })
  .int('应为整数 (元)')
  .min(0, '不能为负数')
  .max(100_000_000, '金额过大');
const day = z.iso.date('日期格式应为 YYYY-MM-DD');

/** What a verification visit found: the year's incomes and costs and each basic need (两不愁三保障 + 饮水安全). */
export const visitFindingsSchema = z.object({
  wageIncome: yuan.describe('工资性收入'),
  businessIncome: yuan.describe('生产经营性收入'),
  propertyIncome: yuan.describe('财产性收入'),
  transferIncome: yuan.describe('转移性收入'),
  productionCosts: yuan.describe('生产经营性支出'),
  ...(Object.fromEntries(BASIC_NEEDS.map((n) => [n, z.boolean({ error: '请勾选是否有保障' })])) as Record<
    keyof BasicNeeds,
    z.ZodBoolean
  >),
});
export type VisitFindings = z.infer<typeof visitFindingsSchema>;

/**
 * 民主评议 (RULES.md row 1: 村民代表评议票决): the meeting's date (not in the future), attendance and
 * votes; votes cast cannot exceed attendance, and an approval needs more than half of those present.
 */
function appraisalSchema(decision: string) {
  return z
    .object({
      appraisalDate: day.refine((d) => d <= cstDate(), '评议日期不能在将来').describe('评议日期'),
      attendance: z
        .number({ error: '请填写参会人数' })
        .int()
        .min(1, '参会人数至少 1 人')
        .max(10_000)
        .describe('参会人数'),
      votesFor: z.number({ error: '请填写赞成票数' }).int().min(0).max(10_000).describe('赞成票'),
      votesAgainst: z.number({ error: '请填写反对票数' }).int().min(0).max(10_000).default(0).describe('反对票'),
    })
    .superRefine((a, ctx) => {
      if (a.votesFor + a.votesAgainst > a.attendance) {
        ctx.addIssue({
          code: 'custom',
          path: ['votesFor'],
          message: `赞成 ${a.votesFor} 票与反对 ${a.votesAgainst} 票之和超过参会人数 ${a.attendance}`,
        });
      } else if (decision === 'approve' && a.votesFor * 2 <= a.attendance) {
        ctx.addIssue({
          code: 'custom',
          path: ['votesFor'],
          message: `赞成 ${a.votesFor} 票未超过参会人数 ${a.attendance} 的半数, 评议不能通过`,
        });
      }
    });
}

const opinion = z.record(z.string(), z.unknown());

function schemaOf(name: RecordName, decision: string): z.ZodType {
  switch (name) {
    case 'opinion':
    case 'member_verification':
    case 'data_comparison':
      return opinion;
    case 'removal_verification':
      // 清退's verification states what the village found (why the household was registered or exited wrongly).
      return decision === 'approve'
        ? z.object({
            findings: z
              .string({ error: '请写明核实情况' })
              .trim()
              .min(4, '请写明核实情况 (至少 4 个字)')
              .max(1000)
              .describe('核实情况'),
          })
        : opinion;
    case 'appraisal':
      return appraisalSchema(decision);
    case 'verification':
      return z.object({ assessment: visitFindingsSchema.describe('入户核实的收入与两不愁三保障') });
    case 'exit_verification':
      // RULES.md row 2: the household agrees (认可) to its exit, signed at the verification visit.
      return z.object({
        assessment: visitFindingsSchema,
        householdAgrees: z.literal(true, { error: '退出须有农户签字认可 (householdAgrees: true)' }),
      });
    case 'home_check':
      return z.object({ assessment: visitFindingsSchema.optional() });
    case 'monitoring_home_check':
      // RULES.md row 4: new cases add the household's consent-and-authorisation (承诺授权).
      return z.object({
        authorisationSigned: z.literal(true, {
          error: '纳入监测须有农户签署的信息核对授权书 (authorisationSigned: true)',
        }),
        assessment: visitFindingsSchema.optional(),
      });
    case 'monitoring_approval':
      return z.object({
        monitoringType: z.enum(MONITORING_TYPES, { error: '请选择监测类型' }),
        risk: z.string().trim().max(200).optional(),
      });
    case 'objection_verification':
      return z.object({
        finding: z
          .string({ error: '请填写异议核实情况' })
          .trim()
          .min(2, '请填写异议核实情况')
          .max(2000)
          .describe('核实情况'),
        evidence: z.string().trim().max(2000).optional().describe('核实依据 (走访对象、查阅材料)'),
      });
    case 'revisit':
      return revisitFormSchema;
  }
}

/**
 * The schema a decision's `data` must satisfy at this step of this procedure. An approval carries
 * the step's whole record; a rejection or a return carries none, except an objection's verification,
 * whose finding is the reason either way.
 */
export function decisionRecordSchema(kind: string, step: string, decision: string): z.ZodType {
  const name = recordOf(kind, step);
  if (decision !== 'approve' && name !== 'objection_verification') return opinion;
  return schemaOf(name, decision);
}

export interface RecordIssue {
  /** The field's path under the decision, e.g. `data.votesFor`. */
  path: string;
  message: string;
}

/** Checks a decision's data against its record; empty when it holds. */
export function decisionRecordIssues(kind: string, step: string, decision: string, data: unknown): RecordIssue[] {
  const parsed = decisionRecordSchema(kind, step, decision).safeParse(data ?? {});
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ path: ['data', ...i.path.map(String)].join('.'), message: i.message }));
}
