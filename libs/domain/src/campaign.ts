/**
 * 年度动态调整: the county's yearly door-to-door campaign. Its calendar and scope categories, and
 * the verification record (逐户核查) a helper or village cadre enters from the comparison sheet.
 */
import { z } from 'zod';
import { personName } from './text';
import { Education, Health, MemberLeaveReason, Relation, RemovalReason, WorkStatus } from './enums';
import { assessmentInputSchema, memberInputSchema } from './household-schemas';
import { cstDate } from './china-time';
import { offlineRecordFields } from './offline';

/** The campaign's phases in order; each ends on a calendar day of the campaign's year (China Standard Time). */
export const CAMPAIGN_PHASES = ['deployment', 'visits', 'entry', 'cleaning', 'audit', 'feedback', 'summary'] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];

export const CAMPAIGN_PHASE_LABELS: Record<CampaignPhase, string> = {
  deployment: '部署培训',
  visits: '入户核查',
  entry: '数据录入',
  cleaning: '数据清洗',
  audit: '县级审核',
  feedback: '省级反馈整改',
  summary: '工作总结',
};

/** The county plan's calendar: the last day (MM-DD) of each phase. Policy `adjustmentCalendar` may change it. */
export const DEFAULT_CAMPAIGN_CALENDAR: Record<CampaignPhase, string> = {
  deployment: '09-30',
  visits: '10-31',
  entry: '11-20',
  cleaning: '11-23',
  audit: '11-25',
  feedback: '12-31',
  summary: '12-31',
};

export interface PhaseWindow {
  phase: CampaignPhase;
  /** ISO instants: from the end of the phase before (00:00 CST of its first day) to 24:00 CST of its last day. */
  startsAt: string;
  endsAt: string;
}

const CST_MS = 8 * 3_600_000;
/** 24:00 China Standard Time of the day `MM-DD` of `year`, as an ISO instant. */
export function endOfDayCst(year: number, monthDay: string): string {
  const [m, d] = monthDay.split('-').map(Number);
  return new Date(Date.UTC(year, m - 1, d + 1) - CST_MS).toISOString();
}

/** The campaign's phase windows for a year, in order; a phase's start is the end of the phase before it. */
export function campaignCalendar(
  year: number,
  ends: Partial<Record<CampaignPhase, string>> = {},
  startsAt?: string,
): PhaseWindow[] {
  let from = startsAt ?? new Date(Date.UTC(year, 0, 1) - CST_MS).toISOString();
  return CAMPAIGN_PHASES.map((phase) => {
    const endsAt = endOfDayCst(year, ends[phase] ?? DEFAULT_CAMPAIGN_CALENDAR[phase]);
    const w = { phase, startsAt: from, endsAt: endsAt < from ? from : endsAt };
    from = w.endsAt;
    return w;
  });
}

export const calendarSchema = z
  .record(z.enum(CAMPAIGN_PHASES), z.string().regex(/^\d{2}-\d{2}$/, '日期应为 MM-DD'))
  .refine((c) => {
    const ends = CAMPAIGN_PHASES.map((p) => c[p] ?? DEFAULT_CAMPAIGN_CALENDAR[p]);
    return ends.every((e, i) => i === 0 || e >= ends[i - 1]);
  }, '各阶段截止日期须按部署→入户→录入→清洗→审核→反馈→总结的顺序');

/** What the campaign covers: the seed's three village categories, the registered households, the marginal ones. */
export const SCOPE_CATEGORIES = [
  'high_incidence_villages',
  'no_recent_exit_villages',
  'exited_villages',
  'poor',
  'exited',
  'monitored',
  'marginal',
] as const;
export type ScopeCategory = (typeof SCOPE_CATEGORIES)[number];

export const SCOPE_CATEGORY_LABELS: Record<ScopeCategory, string> = {
  high_incidence_villages: '贫困发生率高于30%的村 (全部农户)',
  no_recent_exit_villages: '近两年无脱贫户的贫困村 (全部农户)',
  exited_villages: '已退出贫困村 (全部农户)',
  poor: '未脱贫户',
  exited: '已脱贫户 (过渡期内)',
  monitored: '监测对象',
  marginal: '边缘户 (未建档, 人均纯收入低于边缘线)',
};

export const campaignStartSchema = z.object({
  countyCode: z.string().regex(/^\d{6}000000$/, '应为县级区划代码 (12位, 末6位为0)'),
  year: z.number().int().min(2020).max(2100),
  categories: z.array(z.enum(SCOPE_CATEGORIES)).min(1, '至少选择一类核查范围'),
  /** 边缘线 (yuan per head and year); default 1.5 × the year's poverty line. */
  marginalLine: z.number().int().min(0).max(1_000_000).optional(),
  calendar: calendarSchema.optional(),
  /** The count the officer saw in the dry run; the start is refused when live data no longer gives it. */
  confirmHouseholds: z.number().int().min(0).optional(),
});
export type CampaignStart = z.infer<typeof campaignStartSchema>;

/** Documents checked at the door (户口本, 身份证, 残疾证, 银行折, 慢性病卡). */
export const VERIFICATION_DOCUMENTS = ['hukou', 'idCard', 'disabilityCard', 'bankBook', 'chronicCard'] as const;
export const VERIFICATION_DOCUMENT_LABELS: Record<(typeof VERIFICATION_DOCUMENTS)[number], string> = {
  hukou: '户口本',
  idCard: '身份证',
  disabilityCard: '残疾证',
  bankBook: '银行折',
  chronicCard: '慢性病卡',
};

/** The five kinds of targeted measures of the county plan (产业, 就业, 教育, 健康, 社会保障). */
export const PLANNED_MEASURE_KINDS = ['INDUSTRY', 'EMPLOYMENT', 'EDUCATION', 'HEALTH', 'SOCIAL_SECURITY'] as const;

const memberCheck = z.object({
  memberId: z.uuid('成员 ID 无效'),
  /** Still in the household, or gone (and why): a departure opens a member-change case. */
  left: z.enum(MemberLeaveReason.codes).optional(),
  /** Plain data fixes applied at once, with their audit entry. */
  education: z.enum(Education.codes).optional(),
  health: z.enum(Health.codes).optional(),
  workStatus: z.enum(WorkStatus.codes).optional(),
  medicalInsurance: z.boolean().optional(),
  pensionInsurance: z.boolean().optional(),
});

export const verificationRecordSchema = z
  .object({
    visitors: z.array(personName(40, '核查人姓名')).length(2, '须两人共同入户核查'),
    documents: z.array(z.enum(VERIFICATION_DOCUMENTS)).min(1, '至少查验一种证件'),
    members: z.array(memberCheck).max(30).default([]),
    newMembers: z
      .array(z.object({ reason: z.enum(['BIRTH', 'MARRIAGE', 'MIGRATION']), member: memberInputSchema }))
      .max(10)
      .default([]),
    /** The head left (died, moved away): the new head, named from the members who stay; the member change carries both. */
    newHeadId: z.uuid('成员 ID 无效').optional(),
    /** The other members' relations to the new head (member id → relation), when the head changes. */
    relations: z.record(z.uuid(), z.enum(Relation.codes)).optional(),
    /** This year's income and 两不愁三保障, as confirmed or corrected at the door. */
    assessment: assessmentInputSchema,
    /** Risks found (illness, disaster, …): the household goes to monitoring inclusion. */
    risks: z.array(z.string().trim().min(1).max(100)).max(10).default([]),
    /** The visit found the household registered or exited wrongly (错评, 错退, 不符合条件 …): the finding opens 清退. */
    removalReason: z.enum(RemovalReason.codes).optional(),
    /** A household found below the standard applies to be identified (农户本人申请): the finding opens identification. */
    householdConsent: z.boolean().optional(),
    /** For a POOR household that does not meet the exit standard: why (分析原因), required then with at least one measure. */
    causeAnalysis: z.string().trim().max(500).optional(),
    /** For a POOR household that does not meet the exit standard: the targeted measures planned (制定针对性帮扶措施). */
    plannedMeasures: z
      .array(
        z.object({
          kind: z.enum(PLANNED_MEASURE_KINDS),
          description: z.string().trim().min(1, '措施内容不能为空').max(300),
        }),
      )
      .max(10)
      .default([]),
    note: z.string().trim().max(500).optional(),
    acknowledged: z.literal(true, '核查结果须向农户宣读并经农户确认'),
    /** Made on a phone without signal (#24): when, and the photos of the signed sheet and the documents. */
    ...offlineRecordFields,
  })
  .superRefine((v, ctx) => {
    if (new Set(v.visitors).size !== v.visitors.length)
      ctx.addIssue({ code: 'custom', path: ['visitors'], message: '两名核查人不能是同一人' });
    const seen = new Set<string>();
    v.members.forEach((m, i) => {
      if (seen.has(m.memberId))
        ctx.addIssue({ code: 'custom', path: ['members', i, 'memberId'], message: '同一成员重复填写' });
      seen.add(m.memberId);
    });
  });
export type VerificationRecord = z.infer<typeof verificationRecordSchema>;

/** The member changes a verification found, as one member-change case carries them (additions, a new head, departures). */
export function verificationMemberChanges(
  v: Pick<VerificationRecord, 'members' | 'newMembers' | 'newHeadId' | 'relations'>,
): Record<string, unknown>[] {
  return [
    ...v.newMembers.map((n) => ({ change: 'add', reason: n.reason, member: n.member })),
    ...(v.newHeadId
      ? [{ change: 'head', newHeadId: v.newHeadId, ...(v.relations ? { relations: v.relations } : {}) }]
      : []),
    ...v.members.filter((m) => m.left).map((m) => ({ change: 'remove', reason: m.left, memberId: m.memberId })),
  ];
}

/**
 * 数据录入 closes with the entry phase (its calendar day, or the campaign moving past it); a county
 * extension (audited) reopens it until its date. Returns why a record made now is late, or null.
 */
export function entryClosedReason(
  c: { year: number; step: string; calendar: PhaseWindow[]; extendedUntil?: string | null },
  now: Date = new Date(),
  /** A record made on a phone at `now` and synced later (#24): judged by the calendar at that moment, whatever the phase since. */
  recordedOffline = false,
): string | null {
  if (c.extendedUntil && now.getTime() < Date.parse(c.extendedUntil)) return null;
  const entry = c.calendar.find((w) => w.phase === 'entry');
  if (!entry) return null;
  const phase = c.step.startsWith('campaign.') ? (c.step.slice('campaign.'.length) as CampaignPhase) : null;
  const past = !recordedOffline && phase !== null && CAMPAIGN_PHASES.indexOf(phase) > CAMPAIGN_PHASES.indexOf('entry');
  if (!past && now.getTime() < Date.parse(entry.endsAt)) return null;
  const lastDay = (endsAt: string) => cstDate(new Date(Date.parse(endsAt) - 1));
  return `${c.year} 年度动态调整的数据录入已于 ${lastDay(entry.endsAt)} 截止${c.extendedUntil ? ` (县级延期至 ${lastDay(c.extendedUntil)} 也已截止)` : ''}; 须县级延期后补录`;
}
