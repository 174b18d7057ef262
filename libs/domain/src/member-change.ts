import { z } from 'zod';
import { MemberLeaveReason, Relation } from './enums';
import { memberInputSchema } from './household-schemas';

/**
 * 成员变更 (DESIGN.md "The registry's life cycle"): every kind the rules name, as one case that may
 * carry several changes found on one visit (a head's death names the new head in the same case).
 *  - add: birth, marriage in, migration in, correction (a member joins);
 *  - remove: death, marriage out, migration out, correction (a member leaves);
 *  - head: a new head named from the members (户主变更);
 *  - split: members leave into a new household of the registry with the same status (分户);
 *  - close: the whole household is closed (整户注销); removing the last member closes it too.
 * Checked at the case's start and again at its announcement against the members living there then.
 */
const uuid = z.string().uuid('应为成员的 id');
export const MEMBER_ADD_REASONS = ['BIRTH', 'MARRIAGE', 'MIGRATION', 'CORRECTION', 'SPLIT'] as const;
const relationMap = z
  .record(z.string().uuid(), z.enum(Relation.codes))
  .describe('其余成员与新户主的关系 (成员 id → 关系)');

export const memberChangeItemSchema = z.discriminatedUnion('change', [
  z.object({ change: z.literal('add'), reason: z.enum(MEMBER_ADD_REASONS), member: memberInputSchema }),
  z.object({ change: z.literal('remove'), reason: z.enum(MemberLeaveReason.codes), memberId: uuid }),
  z.object({
    change: z.literal('head'),
    newHeadId: uuid.describe('新户主 (须为本户在册成员)'),
    relations: relationMap.optional(),
  }),
  z.object({
    change: z.literal('split'),
    memberIds: z.array(uuid).min(1, '至少一名成员分出').max(29).describe('分出的成员'),
    newHeadId: uuid.describe('新户户主 (须在分出的成员中)'),
    relations: relationMap.optional(),
  }),
  z.object({
    change: z.literal('close'),
    reason: z
      .enum(['DEATH', 'MIGRATION', 'MARRIAGE', 'CORRECTION'])
      .describe('整户注销原因: 全部死亡 / 整户迁出 / 婚出 / 错误数据'),
  }),
]);
export type MemberChangeItem = z.infer<typeof memberChangeItemSchema>;

/** A case's data: `{ changes: [...] }`, or one change at the top level (see `memberChangeData`). */
export const memberChangesSchema = z.object({
  changes: z.array(memberChangeItemSchema).min(1, '至少一项变更').max(30),
});

/** Parses a case's data either way, with each issue's path under `data` as given. */
export function memberChangeData(data: unknown): z.ZodSafeParseResult<{ changes: MemberChangeItem[] }> {
  if (typeof data === 'object' && data !== null && 'changes' in data) return memberChangesSchema.safeParse(data);
  const one = memberChangeItemSchema.safeParse(data);
  return one.success ? { success: true, data: { changes: [one.data] } } : (one as never);
}

/** Why a member joins, in Chinese. */
export const MEMBER_ADD_REASON_LABELS: Record<(typeof MEMBER_ADD_REASONS)[number], string> = {
  BIRTH: '出生',
  MARRIAGE: '婚入',
  MIGRATION: '迁入',
  CORRECTION: '错误数据更正',
  SPLIT: '分户并入',
};

export const MEMBER_CHANGE_LABELS: Record<MemberChangeItem['change'], string> = {
  add: '成员增加',
  remove: '成员减少',
  head: '户主变更',
  split: '分户',
  close: '整户注销',
};

/** A living member as the rules see them. */
export interface ResidentMember {
  id: string;
  name: string;
  relation: string;
}

/** What the changes do to the household, once they hold. */
export interface MemberChangePlan {
  /** Members who leave (removed or split out). */
  leaving: Set<string>;
  /** The household's head afterwards (null when it closes). */
  headId: string | null;
  /** Members who keep living there (added ones not counted: they have no id yet). */
  staying: string[];
  closes: boolean;
}

/** Plain shape of a change (no zod types), for callers that hold stored case data. */
type Change = { change: string; memberId?: string; newHeadId?: string; memberIds?: string[] };

/**
 * Every reason the changes cannot apply to these members, in Chinese with the member's name, and
 * what they would do when none holds. One list: the start and the announcement both ask it.
 */
export function planMemberChanges(
  changes: readonly Change[],
  members: readonly ResidentMember[],
): { obstacles: string[]; plan: MemberChangePlan } {
  const obstacles: string[] = [];
  const byId = new Map(members.map((m) => [m.id, m]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  const head = members.find((m) => m.relation === 'HEAD')?.id ?? null;
  const leaving = new Set<string>();
  const adds = changes.filter((c) => c.change === 'add').length;
  let newHead: string | null = null;
  let closes = false;
  changes.forEach((c, i) => {
    const at = changes.length > 1 ? `第 ${i + 1} 项: ` : '';
    const member = (id: string | undefined) => {
      if (!id || !byId.has(id)) {
        obstacles.push(`${at}成员 ${id ?? '(未指定)'} 不在本户在册成员中`);
        return false;
      }
      return true;
    };
    switch (c.change) {
      case 'remove':
        if (member(c.memberId)) {
          if (leaving.has(c.memberId!)) obstacles.push(`${at}${name(c.memberId!)} 已在本案其他变更中离户`);
          leaving.add(c.memberId!);
        }
        break;
      case 'head':
        if (member(c.newHeadId)) {
          if (c.newHeadId === head) obstacles.push(`${at}${name(c.newHeadId!)} 已是户主`);
          if (newHead) obstacles.push(`${at}一案只能指定一名新户主`);
          newHead = c.newHeadId!;
        }
        break;
      case 'split': {
        const ids = c.memberIds ?? [];
        ids.forEach((id) => {
          if (member(id)) {
            if (leaving.has(id)) obstacles.push(`${at}${name(id)} 已在本案其他变更中离户`);
            leaving.add(id);
          }
        });
        if (!c.newHeadId || !ids.includes(c.newHeadId)) obstacles.push(`${at}分户的新户主须在分出的成员中`);
        break;
      }
      case 'close':
        closes = true;
        if (changes.length > 1) obstacles.push('整户注销不能与其他变更同案');
        break;
    }
  });
  const staying = members.filter((m) => !leaving.has(m.id)).map((m) => m.id);
  const split = changes.some((c) => c.change === 'split');
  if (!closes && staying.length === 0 && adds === 0) {
    // The last members leave: the household is closed (整户注销), unless they only moved into a split.
    if (split) obstacles.push('分户后原户须至少留一名成员; 整户迁移请用整户注销');
    else closes = true;
  }
  if (newHead && leaving.has(newHead)) obstacles.push(`新户主 ${name(newHead)} 不能同时离户`);
  // The head leaves (death, marriage, migration, split): the same case names the new head from those who stay.
  if (!closes && head && leaving.has(head) && !newHead)
    obstacles.push(`户主 ${name(head)} 离户 (死亡、迁出或分出), 须在同一案中指定新户主 (change: head, newHeadId)`);
  const headId = closes ? null : (newHead ?? (head && !leaving.has(head) ? head : null));
  return { obstacles, plan: { leaving, headId, staying: closes ? [] : staying, closes } };
}
