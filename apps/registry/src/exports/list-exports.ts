import { Injectable } from '@nestjs/common';
import { cstDate, HouseholdStatus, procedureLabel, stepLabel, type HouseholdListQuery } from '@jingzhun/domain';
import type { AuthUser } from '@jingzhun/platform';
import { HouseholdQueries } from '../households/household-queries';
import { CaseQueries } from '../procedures/case-queries';
import type { TaskListQuery } from '../procedures/procedure.schemas';
import { TasksService } from '../procedures/tasks.service';
import { listXlsx, type ExportColumn } from './list-xlsx';

/** The most rows one export holds; beyond it the title line says the list was cut. */
export const EXPORT_LIMIT = 20_000;
const PAGE = 200;

const CASE_STATUS: Record<string, string> = {
  OPEN: '办理中',
  COMPLETED: '已办结',
  REJECTED: '未通过',
  ENDED_BY_OBJECTION: '异议成立终止',
  REFUSED: '条件不符终止',
  CANCELLED: '已撤销',
};
const cst = (d: Date | string | null | undefined) => (d ? cstDate(new Date(d)) : '');

/**
 * 导出: the lists' own services page by page (their jurisdiction, helper scope and masking), written
 * as XLSX. What the list shows is what the file holds: the head's ID number masked at the county and
 * above, no ID number column at all below it.
 */
@Injectable()
export class ListExports {
  constructor(
    private readonly householdList: HouseholdQueries,
    private readonly caseList: CaseQueries,
    private readonly taskList: TasksService,
  ) {}

  async households(actor: AuthUser, q: HouseholdListQuery) {
    type Row = Awaited<ReturnType<HouseholdQueries['list']>>['items'][number];
    const { rows, truncated } = await collect<Row>((page) =>
      this.householdList.list(actor, { ...q, page, pageSize: PAGE }),
    );
    const columns: ExportColumn<Row>[] = [
      { header: '户编号', width: 22, value: (h) => h.number },
      { header: '户主', value: (h) => h.headName },
      { header: '乡镇', value: (h) => h.townshipName },
      { header: '行政村', value: (h) => h.villageName ?? h.villageCode },
      { header: '户状态', value: (h) => HouseholdStatus.labels[h.status as HouseholdStatus] ?? h.status },
      { header: '人口', value: (h) => h.memberCount },
      { header: '人均纯收入 (元)', value: (h) => h.netIncomePerHead },
      { header: '识别年度', value: (h) => h.identifiedYear },
      { header: '脱贫年度', value: (h) => h.exitYear },
      { header: '住址', width: 30, value: (h) => h.address },
    ];
    // ID numbers: masked, and only for the county and above (DESIGN.md "Who sees what").
    if (actor.role === 'county' || actor.role === 'admin')
      columns.push({ header: '户主身份证号 (脱敏)', width: 22, value: (h) => h.headIdNumber });
    const filter = [
      q.regionCode ?? actor.regionCode,
      q.status ? HouseholdStatus.labels[q.status as HouseholdStatus] : null,
      q.q ? `查找 "${q.q}"` : null,
    ]
      .filter(Boolean)
      .join(' · ');
    return listXlsx('农户', `农户 · ${filter} · 导出于 ${cst(new Date())}`, columns, rows, truncated);
  }

  async cases(actor: AuthUser, q: { regionCode?: string; kind?: string; status?: string }) {
    type Row = Awaited<ReturnType<CaseQueries['list']>>['items'][number];
    const { rows, truncated } = await collect<Row>((page) => this.caseList.list(actor, { ...q, page, pageSize: PAGE }));
    const columns: ExportColumn<Row>[] = [
      { header: '程序', value: (c) => procedureLabel(c.kind) },
      { header: '行政村代码', width: 16, value: (c) => c.regionCode },
      { header: '年度', value: (c) => c.year },
      { header: '状态', value: (c) => CASE_STATUS[c.status] ?? c.status },
      { header: '当前步骤', value: (c) => stepLabel(c.step) },
      { header: '期限', value: (c) => cst(c.dueAt) },
      { header: '事由', width: 40, value: (c) => c.reason },
      { header: '发起日期', value: (c) => cst(c.createdAt) },
      { header: '办结日期', value: (c) => cst(c.closedAt) },
    ];
    const filter = [
      q.regionCode ?? actor.regionCode,
      q.kind ? procedureLabel(q.kind) : null,
      q.status ? CASE_STATUS[q.status] : null,
    ]
      .filter(Boolean)
      .join(' · ');
    return listXlsx('案件', `案件 · ${filter} · 导出于 ${cst(new Date())}`, columns, rows, truncated);
  }

  async tasks(actor: AuthUser, q: TaskListQuery) {
    type Row = Awaited<ReturnType<TasksService['inbox']>>['items'][number];
    const { rows, truncated } = await collect<Row>((page) =>
      this.taskList.inbox(actor, { ...q, page, pageSize: PAGE }),
    );
    const columns: ExportColumn<Row>[] = [
      { header: '户编号', width: 22, value: (t) => t.householdNumber },
      { header: '户主', value: (t) => t.headName },
      { header: '行政村', value: (t) => t.villageName ?? t.villageCode },
      { header: '程序', value: (t) => procedureLabel(t.kind) },
      { header: '步骤', value: (t) => stepLabel(t.step) },
      { header: '期限', value: (t) => cst(t.dueAt) },
      { header: '逾期', value: (t) => (t.overdue ? '是' : '') },
      { header: '事由', width: 40, value: (t) => t.reason },
    ];
    const filter = [
      q.kind ? procedureLabel(q.kind) : null,
      q.step ? stepLabel(q.step) : null,
      q.villageCode ?? null,
      q.overdue === 'true' ? '只看逾期' : null,
    ]
      .filter(Boolean)
      .join(' · ');
    return listXlsx(
      '待办',
      `待办 · ${actor.id}${filter ? ` · ${filter}` : ''} · 导出于 ${cst(new Date())}`,
      columns,
      rows,
      truncated,
    );
  }
}

async function collect<T>(
  page: (n: number) => Promise<{ items: T[]; total: number }>,
): Promise<{ rows: T[]; truncated: number | null }> {
  const rows: T[] = [];
  let total = 0;
  for (let n = 1; rows.length < EXPORT_LIMIT; n++) {
    const p = await page(n);
    total = p.total;
    rows.push(...p.items);
    if (p.items.length < PAGE) break;
  }
  return { rows: rows.slice(0, EXPORT_LIMIT), truncated: total > EXPORT_LIMIT ? EXPORT_LIMIT : null };
}
