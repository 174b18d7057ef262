import { RemovalReason } from '@jingzhun/domain';
import type { ProcedureKind } from '@jingzhun/contracts';
import { cst, KIND_LABELS } from './notice-text';

/** What an announcement may say: the household by its number and village, the decision, the dates. No name, no ID number. */
export interface AnnouncementFacts {
  kind: ProcedureKind;
  countyName: string;
  villageName: string;
  householdNumber: string | null;
  year: number;
  seq: number;
  /** The case's notices: their periods (公示期) as posted. */
  notices: { startsAt: Date; endsAt: Date; objections: number }[];
  /** After the change: the household's size (member change), the removal's reason. */
  memberCount?: number | null;
  removalReason?: string | null;
  publishedAt: Date;
}

function decision(f: AnnouncementFacts): string {
  switch (f.kind) {
    case 'identification':
      return '纳入建档立卡贫困户';
    case 'return':
      return '按返贫程序重新纳入贫困户';
    case 'exit':
      return '脱贫退出 (过渡期内帮扶政策保持不变)';
    case 'member_change':
      return `家庭成员变更${f.memberCount === 0 ? ', 整户注销' : f.memberCount ? `, 变更后家庭人口 ${f.memberCount} 人` : ''}`;
    case 'monitoring_inclusion':
      return '纳入防止返贫监测对象';
    case 'risk_elimination':
      return '标注风险消除 (监测记录保留)';
    case 'removal':
      return f.removalReason === 'WRONGLY_EXITED'
        ? '纠正错退, 恢复为未脱贫户'
        : `清退 (${RemovalReason.labels[f.removalReason as RemovalReason] ?? f.removalReason ?? ''})`;
    case 'village_exit':
      return '退出贫困村序列';
    default:
      return KIND_LABELS[f.kind];
  }
}

/**
 * The printable 公告: number, title, what it announces and the notice it followed. Built only from
 * AnnouncementFacts, which carries no personal data.
 */
export function announcementText(f: AnnouncementFacts): { number: string; title: string; body: string } {
  const number = `${f.countyName}公告〔${f.year}〕第 ${f.seq} 号`;
  const subject = f.kind === 'village_exit' ? f.villageName : `${f.villageName} 户编号 ${f.householdNumber}`;
  const title = `关于${f.villageName}${KIND_LABELS[f.kind]}结果的公告`;
  const noticed = f.notices.length
    ? `经公示 (${f.notices.map((n) => `${cst(n.startsAt)}至${cst(new Date(n.endsAt.getTime() - 1))}${n.objections ? `, 异议 ${n.objections} 件已核实处理` : ', 无异议'}`).join('; ')}), `
    : '';
  const body = [
    number,
    title,
    '',
    `根据扶贫对象动态管理工作要求, 经村级评议核实、${noticed}乡镇审核、县级审批, 现将结果公告如下:`,
    `${subject}: ${decision(f)}。`,
    '',
    '特此公告。',
    '',
    `${f.countyName}`,
    `${cst(f.publishedAt)}`,
  ].join('\n');
  return { number, title, body };
}
