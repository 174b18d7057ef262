import type { ProcedureKind } from '@jingzhun/contracts';

export const KIND_LABELS: Record<ProcedureKind, string> = {
  identification: '贫困户识别纳入',
  exit: '贫困户脱贫退出',
  return: '返贫户纳入',
  member_change: '贫困户家庭成员变更',
  village_exit: '贫困村退出',
  monitoring_inclusion: '防返贫监测对象纳入',
  risk_elimination: '防返贫监测对象风险消除',
  removal: '清退',
  follow_up: '脱贫户回访',
  annual_adjustment: '年度动态调整',
};

export interface NoticeFacts {
  kind: ProcedureKind;
  /** Where it is posted: the village or township name. */
  placeName: string;
  householdNumber: string | null;
  headName: string | null;
  memberCount: number | null;
  villageName: string;
  startsAt: Date;
  endsAt: Date;
  days: number;
  objectionsTo: string;
}

/** A date as printed on a notice or an announcement: 2026年12月6日 (China Standard Time). */
export function cst(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

/**
 * The printable 公示 text. Built only from the fields listed in NoticeFacts: it cannot carry an
 * ID number, a phone number, a bank account or a health detail because none is passed in.
 */
export function noticeText(f: NoticeFacts): { title: string; body: string } {
  const label = KIND_LABELS[f.kind];
  const title = `关于${f.villageName}${label}的公示`;
  const subject =
    f.kind === 'village_exit'
      ? `${f.villageName}经乡镇申请、县级核查, 拟按程序退出贫困村序列。`
      : `${f.villageName}户主 ${f.headName} (户编号 ${f.householdNumber}, 家庭人口 ${f.memberCount} 人) 经村民代表民主评议、入户核实, 拟按程序办理${label}。`;
  const body = [
    title,
    '',
    `根据扶贫对象动态管理工作要求, 现将有关情况公示如下:`,
    subject,
    `公示期为 ${f.days} 天, 自 ${cst(f.startsAt)} 起至 ${cst(new Date(f.endsAt.getTime() - 1))} 止。`,
    `公示期间如有异议, 请以书面或口头形式向${f.objectionsTo}反映。`,
    '',
    `${f.placeName}`,
    `${cst(f.startsAt)}`,
  ].join('\n');
  return { title, body };
}
