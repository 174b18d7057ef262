import { stepLabel } from '@jingzhun/domain';

/**
 * Notification texts (Chinese, from templates). They name the household number and the due date,
 * never an ID number, phone number or health detail: the events carry none.
 */
/** A step's label is the procedure catalogue's (libs/domain): the same words as the console's. */
export { stepLabel };

/** yyyy-MM-dd in China Standard Time. */
export function cstDate(iso: string | Date): string {
  const t = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return t.toISOString().slice(0, 10);
}

export interface TaskFacts {
  step: string;
  householdNumber: string | null;
  dueAt: string;
}

const subject = (f: TaskFacts) =>
  f.householdNumber ? `户 ${f.householdNumber} 的${stepLabel(f.step)}` : stepLabel(f.step);

export const templates = {
  opened: (f: TaskFacts) => ({
    title: `新任务: ${stepLabel(f.step)}`,
    body: `${subject(f)}待办理, 请于 ${cstDate(f.dueAt)} 前完成。`,
  }),
  reminder: (f: TaskFacts) => ({
    title: `即将到期: ${stepLabel(f.step)}`,
    body: `【精准】提醒: ${subject(f)}将于 ${cstDate(f.dueAt)} 到期, 请及时办理。`,
  }),
  overdue: (f: TaskFacts) => ({
    title: `已逾期: ${stepLabel(f.step)}`,
    body: `【精准】逾期: ${subject(f)}已于 ${cstDate(f.dueAt)} 到期未办, 请尽快办理。`,
  }),
  escalated: (f: TaskFacts) => ({
    title: `督办: ${stepLabel(f.step)}`,
    body: `【精准】督办: ${subject(f)}逾期未办 (应于 ${cstDate(f.dueAt)} 前完成), 已提交您督办。`,
  }),
  revisitRisk: (f: { householdNumber: string | null }) => ({
    title: '回访发现风险',
    body: `户 ${f.householdNumber ?? ''} 回访发现风险, 已启动纳入监测程序。`,
  }),
  noticePublished: (f: { householdNumber: string | null; endsAt: string }) => ({
    title: '公示已发布',
    body: `${f.householdNumber ? `户 ${f.householdNumber} 的` : ''}公示已张贴, 至 ${cstDate(f.endsAt)} 结束, 请组织群众监督。`,
  }),
  caseLate: (f: { householdNumber: string | null; deadline: string }) => ({
    title: '纳入监测超时',
    body: `【精准】超时: 户 ${f.householdNumber ?? ''} 纳入监测应于 ${cstDate(f.deadline)} 前作出决定, 现已超时, 请督办。`,
  }),
  campaignLate: (f: { event: string; villageCode: string; open: number; dueAt: string }) => ({
    title: f.event === 'reminder' ? '入户核查即将截止' : f.event === 'overdue' ? '入户核查已超期' : '入户核查超期督办',
    body:
      f.event === 'reminder'
        ? `【精准】提醒: 村 ${f.villageCode} 尚有 ${f.open} 户未完成年度动态调整入户核查, 应于 ${cstDate(f.dueAt)} 前完成。`
        : f.event === 'overdue'
          ? `【精准】超期: 村 ${f.villageCode} 尚有 ${f.open} 户入户核查已过 ${cstDate(f.dueAt)} 的截止日期, 请尽快完成。`
          : `【精准】督办: 村 ${f.villageCode} 尚有 ${f.open} 户入户核查超期未完成 (截止 ${cstDate(f.dueAt)}), 请督促。`,
  }),
  alertTriage: (f: { householdNumber: string | null; kind: string; villageCode: string | null }) => ({
    title: '部门预警待研判',
    body: f.householdNumber
      ? `户 ${f.householdNumber} 收到部门预警 (${f.kind}), 请研判。`
      : `村 ${f.villageCode ?? ''} 收到部门预警 (${f.kind}), 请排查研判。`,
  }),
  revisitReminders: (f: { count: number; firstDue: string; numbers: string[] }) => ({
    title: `本周待回访 ${f.count} 户`,
    body: `【精准】提醒: 您有 ${f.count} 户回访将在一周内到期, 最早 ${cstDate(f.firstDue)}${f.numbers.length ? `: ${f.numbers.join('、')}${f.count > f.numbers.length ? ' 等' : ''}` : ''}。`,
  }),
  digest: (f: { count: number; oldestDue: string; lines: string[] }) => ({
    title: `每日待办汇总: ${f.count} 项`,
    body: `您有 ${f.count} 项待办, 最早 ${cstDate(f.oldestDue)} 到期:\n${f.lines.join('\n')}`,
  }),
};
