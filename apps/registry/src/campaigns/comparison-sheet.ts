import {
  Education,
  Health,
  HouseholdStatus,
  LabourCapacity,
  MeasureKind,
  Relation,
  Sex,
  VERIFICATION_DOCUMENT_LABELS,
  WorkStatus,
} from '@jingzhun/domain';
import { renderPdf } from '../procedures/notice-pdf';

/** One household's comparison sheet (对照表), pre-filled from the registry. ID numbers come masked. */
export interface SheetHousehold {
  number: string;
  headName: string;
  status: string;
  villageName: string;
  helperName: string | null;
  members: {
    name: string;
    relation: string;
    sex: string;
    idMasked: string;
    education: string | null;
    health: string;
    labourCapacity: string;
    workStatus: string | null;
    medicalInsurance: boolean;
    pensionInsurance: boolean;
  }[];
  assessment: {
    year: number;
    wageIncome: number;
    businessIncome: number;
    propertyIncome: number;
    transferIncome: number;
    productionCosts: number;
    netIncomePerHead: number;
    food: boolean;
    clothing: boolean;
    education: boolean;
    medical: boolean;
    housing: boolean;
    water: boolean;
  } | null;
  measures: { kind: string; description: string; year: number }[];
}

const label = (table: Record<string, string>, code: string | null) => (code ? (table[code] ?? code) : '—');
const BOX = '□';
const yesNo = (ok: boolean) => (ok ? '是' : '否');

/**
 * The comparison sheets of a batch (one household, or a village's hundreds), one or more A4 pages
 * each: what the registry holds, a box to confirm or correct each item, the documents to check and
 * the lines for the two visitors' and the household's signatures. Rendered as a stream of pages.
 */
export function renderComparisonSheets(title: string, sheets: SheetHousehold[]): Promise<Buffer> {
  return renderPdf(
    title,
    48,
    (doc) => {
      for (const h of sheets) page(doc, title, h);
      if (sheets.length === 0) doc.addPage().font('body').fontSize(12).text('本批次没有需要核查的农户。');
    },
    false,
  );
}

function page(doc: PDFKit.PDFDocument, title: string, h: SheetHousehold): void {
  doc.addPage();
  doc.font('title').fontSize(15).text(title, { align: 'center' });
  doc.moveDown(0.4);
  doc.font('body').fontSize(10);
  doc.text(
    `户编号: ${h.number}    户主: ${h.headName}    村: ${h.villageName}    户状态: ${label(HouseholdStatus.labels, h.status)}    帮扶责任人: ${h.helperName ?? '未指派'}`,
  );
  doc.moveDown(0.5);

  doc
    .font('title')
    .fontSize(11)
    .text('一、家庭成员 (逐项核对, 有变化的在"更正"栏填写: 出生、死亡、婚入婚出、迁入迁出)');
  doc.font('body').fontSize(9);
  for (const m of h.members) {
    doc.text(
      `${m.name}  ${label(Relation.labels, m.relation)}  ${label(Sex.labels, m.sex)}  身份证 ${m.idMasked}  文化 ${label(Education.labels, m.education)}  健康 ${label(Health.labels, m.health)}  劳动力 ${label(LabourCapacity.labels, m.labourCapacity)}  务工 ${label(WorkStatus.labels, m.workStatus)}  医保 ${yesNo(m.medicalInsurance)}  养老 ${yesNo(m.pensionInsurance)}`,
    );
    doc.text(`      ${BOX} 属实   ${BOX} 更正: ________________________________________`);
  }
  doc.text(`新增成员: ____________________________________________________________`);
  doc.moveDown(0.5);

  doc
    .font('title')
    .fontSize(11)
    .text(`二、收入与两不愁三保障 (上次核实${h.assessment ? ` ${h.assessment.year} 年` : ': 无'})`);
  doc.font('body').fontSize(9);
  const a = h.assessment;
  const money = (v: number | undefined) => (v === undefined ? '____' : `${v}`);
  for (const [name, v] of [
    ['工资性收入', a?.wageIncome],
    ['生产经营性收入', a?.businessIncome],
    ['财产性收入', a?.propertyIncome],
    ['转移性收入', a?.transferIncome],
    ['生产经营性支出', a?.productionCosts],
    ['年人均纯收入', a?.netIncomePerHead],
  ] as const) {
    doc.text(`${name}: ${money(v)} 元    ${BOX} 属实   ${BOX} 更正为 ________ 元`);
  }
  const needs = [
    ['不愁吃', a?.food],
    ['不愁穿', a?.clothing],
    ['义务教育有保障', a?.education],
    ['基本医疗有保障', a?.medical],
    ['住房安全有保障', a?.housing],
    ['饮水安全有保障', a?.water],
  ] as const;
  doc.text(needs.map(([n, ok]) => `${n}: ${ok === undefined ? '—' : yesNo(ok)} ${BOX}属实 ${BOX}更正`).join('    '));
  doc.moveDown(0.5);

  doc.font('title').fontSize(11).text('三、帮扶措施');
  doc.font('body').fontSize(9);
  if (h.measures.length === 0) doc.text('(无)');
  for (const m of h.measures)
    doc.text(`${m.year} ${label(MeasureKind.labels, m.kind)}: ${m.description}    ${BOX} 属实   ${BOX} 更正`);
  doc.text(
    `未达退出标准的原因分析及拟采取的措施 (产业、就业、教育、健康、社会保障): ____________________________________`,
  );
  doc.moveDown(0.5);

  doc.font('title').fontSize(11).text('四、查验证件');
  doc
    .font('body')
    .fontSize(9)
    .text(
      Object.values(VERIFICATION_DOCUMENT_LABELS)
        .map((d) => `${BOX} ${d}`)
        .join('    '),
    );
  doc.text(`发现的风险 (因病、因灾、因意外等): ____________________________________________`);
  doc.moveDown(0.8);

  doc.font('body').fontSize(10).text('核查结果已向农户宣读, 农户确认无误。');
  doc.moveDown(0.6);
  doc.text(
    '核查人 (签字): ______________    核查人 (签字): ______________    户主或家庭成员 (签字): ______________    日期: ________',
  );
}
