import { z } from 'zod';
import { memberChangeData, plainText, RemovalReason, stepDef } from '@jingzhun/domain';
import { DECISIONS, PROCEDURE_KINDS, STARTABLE_KINDS } from '@jingzhun/contracts';
import { MONITORING_TYPES, offlineRecordFields } from '@jingzhun/domain';
import { regionCodeSchema } from '@jingzhun/domain';

export const caseStartSchema = z
  .object({
    kind: z.enum(STARTABLE_KINDS),
    householdId: z.string().uuid('应为户的 id').optional(),
    regionCode: regionCodeSchema.optional().describe('The village, for village exit'),
    reason: plainText(1, 500, '请说明事由'),
    year: z.number().int().min(2013).max(2100).optional().describe('Defaults to the current year'),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'village_exit') {
      if (!c.regionCode) ctx.addIssue({ code: 'custom', path: ['regionCode'], message: '贫困村退出须指定行政村' });
    } else if (!c.householdId) ctx.addIssue({ code: 'custom', path: ['householdId'], message: '须指定户' });
    if ((c.kind === 'identification' || c.kind === 'return') && c.data.householdConsent !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'householdConsent'],
        message: '须有农户本人同意 (householdConsent: true)',
      });
    }
    if (c.kind === 'member_change') {
      const parsed = memberChangeData(c.data);
      if (!parsed.success)
        for (const i of parsed.error.issues) ctx.addIssue({ ...i, path: ['data', ...i.path] } as never);
    }
    if (c.kind === 'monitoring_inclusion') {
      const parsed = monitoringTriggerSchema.safeParse(c.data);
      if (!parsed.success)
        for (const i of parsed.error.issues) ctx.addIssue({ ...i, path: ['data', ...i.path] } as never);
    }
    if (c.kind === 'removal' && !RemovalReason.codes.includes(c.data.removalReason as never)) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'removalReason'],
        message: `请选择清退原因: ${RemovalReason.codes.map((r) => `${r} ${RemovalReason.labels[r]}`).join(', ')}`,
      });
    }
    if (c.kind === 'village_exit') {
      const conditions = c.data.conditions;
      if (typeof conditions !== 'object' || conditions === null)
        ctx.addIssue({
          code: 'custom',
          path: ['data', 'conditions'],
          message: '须填写退出条件核查表 (road, water, power, clinic, collectiveIncome)',
        });
    }
  });
export type CaseStart = z.infer<typeof caseStartSchema>;

/** 纳入监测 trigger: who raised the clue and when (the 15-day decision clock runs from it). */
export const monitoringTriggerSchema = z.object({
  trigger: z.enum(['self_report', 'visit', 'alert']).describe('农户自主申报 / 干部排查走访 / 部门预警'),
  firstClueAt: z.iso
    .datetime({ offset: true })
    .refine((v) => Date.parse(v) <= Date.now() + 60_000, '不能是将来的时间')
    .optional()
    .describe('首次发现风险线索的时间; 默认为现在'),
  monitoringType: z.enum(MONITORING_TYPES).optional(),
  alertId: z.string().optional(),
});

export const caseListQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  kind: z.enum(PROCEDURE_KINDS).optional(),
  status: z.enum(['OPEN', 'COMPLETED', 'REJECTED', 'ENDED_BY_OBJECTION', 'REFUSED', 'CANCELLED']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** 决定依据 at a step of the procedure (default: the case's current step). */
export const evidenceQuerySchema = z.object({
  step: z
    .string()
    .refine((x) => stepDef(x.replace(/\.objection$/, '')) !== undefined, '不是已知的程序步骤')
    .optional()
    .describe('步骤'),
});

/** 发起前核对: a household's procedure checked before it is started (the same rules as the start). */
export const preflightQuerySchema = z.object({
  kind: z
    .enum(['identification', 'return', 'exit', 'monitoring_inclusion', 'risk_elimination'], {
      error: '应为识别、返贫、退出、纳入监测或风险消除',
    })
    .describe('程序'),
  householdId: z.string().uuid('应为户的 id').describe('户'),
  year: z.coerce
    .number({ error: '年度应为数字' })
    .int('年度应为整数')
    .min(2013, '年度不早于 2013')
    .max(2100)
    .optional()
    .describe('年度'),
});

export const decisionSchema = z
  .object({
    decision: z.enum(DECISIONS),
    comment: plainText(0, 1000).default(''),
    data: z.record(z.string(), z.unknown()).optional(),
    /** A record made offline (#24): when it was made, checked against the rules of that moment; and its photos. */
    ...offlineRecordFields,
  })
  // A refusal or a return for revision must say why: it is read by the cadre who redoes the work.
  .refine((d) => d.decision === 'approve' || d.comment.length > 0, {
    path: ['comment'],
    message: '不通过或退回时须填写意见',
  });
export type DecisionBody = z.infer<typeof decisionSchema>;

export const taskListQuerySchema = z.object({
  status: z.enum(['open']).default('open'),
  kind: z.enum(PROCEDURE_KINDS).optional(),
  step: z
    .string()
    .regex(/^[a-z_.]{1,64}$/, '步骤名称格式不对')
    .optional(),
  villageCode: regionCodeSchema.optional().describe("The case's village (or the village of a village exit)"),
  overdue: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;

export const noticeListQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const objectionSchema = z.object({
  content: plainText(5, 2000, '请写明异议内容 (至少5个字)'),
  submittedBy: z.string().trim().max(100).optional().describe('May be left empty: objections can be anonymous'),
});
