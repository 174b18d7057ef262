/** Household, member, assessment and measure input: one set of rules for the API, the importer and the console's forms. */
import { z } from 'zod';
import { personName, plainText, workDate, workYear } from './text';
import { cstDate, cstYear } from './china-time';
import {
  Education,
  Health,
  HouseholdAttribute,
  LabourCapacity,
  MeasureKind,
  MonitoringType,
  PovertyCause,
  Relation,
  Schooling,
  Sex,
  WorkStatus,
} from './enums';
import { ID_NUMBER_PROBLEM_LABELS, idNumberProblem, idNumberSex, normalizeIdNumber } from './id-number';
import { regionLevelOf } from './region-code';

export const idNumberSchema = z
  .string()
  .transform(normalizeIdNumber)
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: ID_NUMBER_PROBLEM_LABELS[problem] });
  });

export const regionCodeSchema = z.string().regex(/^\d{12}$/, '区划代码应为12位数字');
export const villageCodeSchema = regionCodeSchema.refine(
  (c) => regionLevelOf(c) === 'VILLAGE',
  '应为行政村(12位,末3位非000)',
);
const year = workYear();
const yuan = z.number().int('金额以元为单位的整数').min(0, '不能为负').max(100_000_000);

const memberFields = z.object({
  name: personName(50),
  idNumber: idNumberSchema,
  relation: z.enum(Relation.codes),
  sex: z.enum(Sex.codes).optional().describe('Derived from the ID number when omitted; must match it when given'),
  education: z.enum(Education.codes).optional(),
  schooling: z.enum(Schooling.codes).optional(),
  health: z.enum(Health.codes).default('HEALTHY'),
  labourCapacity: z.enum(LabourCapacity.codes).default('NORMAL'),
  workStatus: z.enum(WorkStatus.codes).optional(),
  medicalInsurance: z.boolean().default(false),
  pensionInsurance: z.boolean().default(false),
});

function sexMatchesIdNumber(m: { sex?: string; idNumber: string }, ctx: z.RefinementCtx): void {
  if (m.sex && idNumberProblem(m.idNumber) === null && idNumberSex(m.idNumber) !== m.sex) {
    ctx.addIssue({ code: 'custom', path: ['sex'], message: '性别与身份证号不符' });
  }
}

export const memberInputSchema = memberFields.superRefine(sexMatchesIdNumber);
export type MemberInput = z.infer<typeof memberInputSchema>;

/**
 * `POST /households/:id/members`: a member of an applicant household, or a county's correction of a
 * registered one, which says why (audited). Other changes of a registered household's members go
 * through the member-change procedure.
 */
export const memberAdditionSchema = memberFields
  .extend({
    correctionReason: z
      .string()
      .trim()
      .min(2, '请说明更正原因')
      .max(500)
      .optional()
      .describe(
        'County correction of a registered household (required unless the household is an applicant); kept in the audit',
      ),
  })
  .superRefine(sexMatchesIdNumber);
export type MemberAddition = z.infer<typeof memberAdditionSchema>;

export const householdCreateSchema = z
  .object({
    villageCode: villageCodeSchema,
    attribute: z.enum(HouseholdAttribute.codes).default('GENERAL'),
    mainCause: z.enum(PovertyCause.codes),
    secondaryCauses: z.array(z.enum(PovertyCause.codes)).max(2, '其他致贫原因最多2项').default([]),
    address: z.string().trim().max(200).optional(),
    status: z
      .enum(['APPLICANT', 'POOR', 'EXITED', 'MONITORED'])
      .default('APPLICANT')
      .describe('Anything but APPLICANT registers an existing record and needs a county officer or admin'),
    identifiedYear: year.optional(),
    exitYear: year.optional(),
    monitoringType: z.enum(MonitoringType.codes).optional(),
    monitoredSince: z.iso
      .date('日期格式应为 YYYY-MM-DD')
      .optional()
      .describe('纳入监测时间 (national form); required for MONITORED'),
    helperId: z.string().min(1).optional(),
    members: z.array(memberInputSchema).min(1, '至少一名成员(户主)').max(30),
  })
  .superRefine((h, ctx) => {
    const heads = h.members.filter((m) => m.relation === 'HEAD').length;
    if (heads !== 1)
      ctx.addIssue({ code: 'custom', path: ['members'], message: `应有且只有一名户主,实有 ${heads} 名` });
    const seen = new Map<string, number>();
    h.members.forEach((m, i) => {
      const first = seen.get(m.idNumber);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['members', i, 'idNumber'],
          message: `与第 ${first + 1} 名成员身份证号重复`,
        });
      else seen.set(m.idNumber, i);
    });
    if (h.secondaryCauses.includes(h.mainCause))
      ctx.addIssue({ code: 'custom', path: ['secondaryCauses'], message: '不能与主要致贫原因相同' });
    if (h.status === 'POOR' && h.identifiedYear === undefined)
      ctx.addIssue({ code: 'custom', path: ['identifiedYear'], message: '未脱贫户须填写识别年度' });
    // Registration and import are for stock of earlier years; this year's households enter and leave
    // only through their procedures (两公示一公告: RULES.md rows 1 and 2).
    const current = cstYear();
    if (h.status === 'POOR' && h.identifiedYear !== undefined && h.identifiedYear >= current)
      ctx.addIssue({
        code: 'custom',
        path: ['identifiedYear'],
        message: `${h.identifiedYear} 年新识别的户须走识别纳入程序 (两公示一公告), 不能直接登记为未脱贫户`,
      });
    if (h.status === 'EXITED' && h.exitYear !== undefined && h.exitYear >= current)
      ctx.addIssue({
        code: 'custom',
        path: ['exitYear'],
        message: `${h.exitYear} 年脱贫的户须走脱贫退出程序, 不能直接登记为已脱贫户`,
      });
    if (h.status === 'EXITED' && h.exitYear === undefined)
      ctx.addIssue({ code: 'custom', path: ['exitYear'], message: '已脱贫户须填写脱贫年度' });
    if (h.status === 'MONITORED' && h.monitoringType === undefined)
      ctx.addIssue({ code: 'custom', path: ['monitoringType'], message: '监测对象须填写监测类型' });
    if (h.status === 'MONITORED' && h.monitoredSince === undefined)
      ctx.addIssue({ code: 'custom', path: ['monitoredSince'], message: '监测对象须填写纳入监测时间' });
    if (h.monitoredSince !== undefined && Date.parse(h.monitoredSince) > Date.now() + 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['monitoredSince'], message: '纳入监测时间不能在将来' });
    if (h.exitYear !== undefined && h.identifiedYear !== undefined && h.exitYear < h.identifiedYear) {
      ctx.addIssue({ code: 'custom', path: ['exitYear'], message: '脱贫年度不能早于识别年度' });
    }
  });
export type HouseholdCreate = z.infer<typeof householdCreateSchema>;

export const householdUpdateSchema = z
  .object({
    attribute: z.enum(HouseholdAttribute.codes).optional(),
    mainCause: z.enum(PovertyCause.codes).optional(),
    secondaryCauses: z.array(z.enum(PovertyCause.codes)).max(2, '其他致贫原因最多2项').optional(),
    address: z.string().trim().max(200).optional(),
    monitoredSince: z.iso
      .date('日期格式应为 YYYY-MM-DD')
      .optional()
      .describe('纳入监测时间: a county correction of stock registered before the system, with its reason'),
    reason: z
      .string()
      .trim()
      .min(2, '请说明更正原因')
      .max(500)
      .optional()
      .describe('Why the county corrects the monitoring start (required with monitoredSince); kept in the audit'),
  })
  .refine((u) => Object.keys(u).some((k) => k !== 'reason'), '至少修改一个字段')
  // RULES.md row 5: risk elimination counts ≥ 6 months from this date; a correction says why, and never dates ahead.
  .refine((u) => u.monitoredSince === undefined || u.reason !== undefined, {
    path: ['reason'],
    message: '更正纳入监测时间须说明原因',
  })
  .refine((u) => u.monitoredSince === undefined || u.monitoredSince <= cstDate(), {
    path: ['monitoredSince'],
    message: '纳入监测时间不能在将来',
  });
export type HouseholdUpdate = z.infer<typeof householdUpdateSchema>;

export const assessmentInputSchema = z
  .object({
    year,
    assessedOn: workDate(1),
    wageIncome: yuan,
    businessIncome: yuan,
    propertyIncome: yuan,
    transferIncome: yuan,
    productionCosts: yuan,
    people: z.number().int().min(1).max(30).optional().describe('Defaults to the number of active members'),
    food: z.boolean(),
    clothing: z.boolean(),
    education: z.boolean(),
    medical: z.boolean(),
    housing: z.boolean(),
    water: z.boolean(),
    note: z.string().max(500).optional(),
  })
  .refine((a) => new Date(a.assessedOn).getTime() <= Date.now() + 86_400_000, {
    path: ['assessedOn'],
    message: '核实日期不能在将来',
  });
export type AssessmentInput = z.infer<typeof assessmentInputSchema>;

export const measureInputSchema = z
  .object({
    kind: z.enum(MeasureKind.codes),
    description: plainText(1, 500, '措施内容不能为空'),
    year,
    amount: yuan.optional(),
    startedOn: workDate(),
    endedOn: workDate(3660).optional(),
  })
  .refine((m) => !m.endedOn || m.endedOn >= m.startedOn, { path: ['endedOn'], message: '结束日期不能早于开始日期' });
export type MeasureInput = z.infer<typeof measureInputSchema>;

export const helperAssignSchema = z.object({ helperId: z.string().min(1, '帮扶责任人不能为空') });

export const householdListQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  status: z.enum(['APPLICANT', 'POOR', 'EXITED', 'MONITORED', 'CLOSED', 'REMOVED']).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe('Head name prefix, household number prefix, or a full ID number'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type HouseholdListQuery = z.infer<typeof householdListQuerySchema>;
