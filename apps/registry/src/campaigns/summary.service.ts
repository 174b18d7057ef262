import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { isWithin, MemberLeaveReason } from '@jingzhun/domain';
import { assertJurisdiction, invalid, notFound, type AuthUser } from '@jingzhun/platform';
import { RegionStore } from '../regions/region.store';
import { CaseStore } from '../procedures/case.store';
import { renderPdf } from '../procedures/notice-pdf';
import { SummaryStore, type SummaryFigures } from './summary.store';

const KINDS: [string, string][] = [
  ['identification', '新识别纳入'],
  ['exit', '脱贫退出'],
  ['return', '返贫纳入'],
  ['member_change', '成员变更'],
  ['monitoring_inclusion', '纳入监测'],
  ['risk_elimination', '风险消除'],
];
const ADD_REASONS: Record<string, string> = {
  BIRTH: '新生儿',
  MARRIAGE: '婚入',
  MIGRATION: '迁入',
  CORRECTION: '错误数据更正',
  SPLIT: '分户',
};

/** The summary's lines, in the order the county's report lists them. */
export function summaryLines(f: SummaryFigures): [string, number][] {
  return [
    ['核查范围内农户 (户)', f.householdsInScope],
    ['已入户核查 (户)', f.householdsVerified],
    ['已入户核查 (人)', f.peopleVerified],
    ...KINDS.map(([k, label]): [string, number] => [`${label} 已办结 (件)`, f.completed[k] ?? 0]),
    ...KINDS.map(([k, label]): [string, number] => [`${label} 办理中 (件)`, f.open[k] ?? 0]),
    ...Object.entries(f.membersAdded).map(([r, n]): [string, number] => [`成员增加: ${ADD_REASONS[r] ?? r} (人)`, n]),
    ...Object.entries(f.membersRemoved).map(([r, n]): [string, number] => [
      `成员减少: ${MemberLeaveReason.labels[r as keyof typeof MemberLeaveReason.labels] ?? r} (人)`,
      n,
    ]),
    ['清洗发现问题 (条)', f.problems.found],
    ['已整改 (条)', f.problems.fixed],
    ['情况说明已接受 (条)', f.problems.explained],
    ['尚未办结 (条)', f.problems.open],
  ];
}

/** 工作总结: the year's figures for the county or one township, as JSON, XLSX and PDF. */
@Injectable()
export class SummaryService {
  constructor(
    private readonly store: SummaryStore,
    private readonly cases: CaseStore,
    private readonly regions: RegionStore,
  ) {}

  async figures(actor: AuthUser, caseId: string, regionCode?: string) {
    const c = await this.cases.findCampaign(caseId);
    if (!c) throw notFound('年度动态调整', caseId);
    const scope = regionCode ?? (actor.role === 'township' ? actor.regionCode : c.regionCode);
    assertJurisdiction(actor, scope);
    if (!isWithin(c.regionCode, scope)) throw invalid('regionCode', '不在本次年度动态调整的范围内');
    const region = await this.store.figures(c.id, c.year, scope);
    // The county's report carries each township's figures too.
    const townships =
      scope === c.regionCode
        ? await Promise.all(
            (await this.store.townships(c.id)).map(async (t) => ({
              name: t.name,
              figures: await this.store.figures(c.id, c.year, t.code),
            })),
          )
        : [];
    return {
      year: c.year,
      regionCode: scope,
      regionName: (await this.regions.name(scope)) ?? scope,
      figures: region,
      townships,
    };
  }

  async xlsx(actor: AuthUser, caseId: string, regionCode?: string): Promise<{ fileName: string; body: Buffer }> {
    const s = await this.figures(actor, caseId, regionCode);
    const wb = new ExcelJS.Workbook();
    wb.creator = '精准 扶贫对象动态管理';
    for (const [name, f] of [
      [s.regionName, s.figures] as const,
      ...s.townships.map((t) => [t.name, t.figures] as const),
    ]) {
      const ws = wb.addWorksheet(name.slice(0, 31));
      ws.columns = [
        { header: '指标', width: 34 },
        { header: '数值', width: 12 },
      ];
      ws.getRow(1).font = { bold: true };
      for (const [label, n] of summaryLines(f)) ws.addRow([label, n]);
    }
    return { fileName: `summary-${s.year}-${s.regionCode}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  async pdf(actor: AuthUser, caseId: string, regionCode?: string): Promise<{ fileName: string; body: Buffer }> {
    const s = await this.figures(actor, caseId, regionCode);
    const title = `${s.regionName} ${s.year} 年度动态调整工作总结`;
    const body = await renderPdf(title, 56, (doc) => {
      doc.font('title').fontSize(16).text(title, { align: 'center' });
      for (const [name, f] of [
        [s.regionName, s.figures] as const,
        ...s.townships.map((t) => [t.name, t.figures] as const),
      ]) {
        doc.moveDown(0.8).font('title').fontSize(12).text(name);
        doc.font('body').fontSize(10);
        for (const [label, n] of summaryLines(f)) doc.text(`${label}: ${n}`);
      }
    });
    return { fileName: `summary-${s.year}-${s.regionCode}.pdf`, body };
  }
}
