import { CommonError, CampaignError } from '@jingzhun/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { PROVINCE_RULE } from '@jingzhun/domain';
import {
  assertJurisdiction,
  CONFIG,
  conflict,
  forbidden,
  type AuthUser,
  type RegistryConfig,
} from '@jingzhun/platform';
import { parseSheetUpload } from '../imports/parse-upload';
import type { SheetLimits } from '../imports/xlsx';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { CleaningService } from './cleaning.service';
import { CleaningStore, type RuleFinding } from './cleaning.store';

/** The province's list: three columns, a county's problems (#22: its own limits, not the household import's 200 000 rows × 64). */
const PROVINCE_LIMITS: SheetLimits = { maxRows: 50_000, maxColumns: 8, maxCells: 400_000, maxSheetBytes: 64 * 1048576 };

/** 省级反馈问题: the province's problem list (national layout: 户编号, 问题, 问题描述), routed to the townships as items. */
@Injectable()
export class ProvinceProblems {
  constructor(
    private readonly prisma: PrismaService,
    private readonly store: CleaningStore,
    private readonly cleaning: CleaningService,
    private readonly journal: Journal,
    @Inject(CONFIG) private readonly config: RegistryConfig,
  ) {}

  /**
   * The province's problem list (XLSX: 户编号, 问题, 问题描述), read like the household import (#22): in a
   * parser process with a heap cap and this list's own limits, never in the registry's own memory;
   * every household looked up in one query.
   */
  async importProvince(actor: AuthUser, caseId: string, path: string) {
    if (actor.role !== 'county') throw forbidden(CommonError.RoleNotAllowed, '省级反馈问题由县级导入');
    const c = await this.cleaning.campaign(caseId);
    assertJurisdiction(actor, c.regionCode);
    if (c.status !== 'OPEN')
      throw conflict(
        CampaignError.CampaignClosed,
        `该年度动态调整已${c.status === 'CANCELLED' ? '撤销' : '结束'}, 不能导入省级反馈问题`,
      );
    const rows = await parseSheetUpload(path, PROVINCE_LIMITS, this.config.IMPORT_PARSER_MEMORY_MB);
    const body = rows.slice(1).map((r) => ({ row: r.row, cells: r.cells.map((x) => String(x ?? '').trim()) }));
    const ids = await this.store.householdsByNumbers(
      c.countyCode,
      body.map((r) => r.cells[0] ?? '').filter((n) => /^\d{17}$/.test(n)),
    );
    const errors: { row: number; message: string }[] = [];
    const byRule = new Map<string, RuleFinding[]>();
    for (const r of body) {
      const [number = '', problem = '', description = ''] = r.cells;
      if (!number && !problem) continue;
      const id = ids.get(number);
      const h = id ? { id } : null;
      if (!h) errors.push({ row: r.row, message: `户编号 ${number || '(空)'} 不是本县的户` });
      else if (!problem) errors.push({ row: r.row, message: '问题不能为空' });
      else {
        const rule = `${PROVINCE_RULE}:${problem.slice(0, 40)}`;
        byRule.set(rule, [
          ...(byRule.get(rule) ?? []),
          { householdId: h.id, description: description ? `${problem}: ${description}` : problem },
        ]);
      }
    }
    let imported = 0;
    await this.prisma.$transaction(async (tx) => {
      for (const [rule, findings] of byRule)
        imported += await this.store.record(tx, c.id, rule, this.cleaning.fixBy(c, 'feedback'), findings);
      await this.journal.record(tx, actor, {
        action: 'campaign.province.imported',
        entity: 'case',
        entityId: c.id,
        regionCode: c.regionCode,
        caseId: c.id,
        after: { imported, errors: errors.length },
      });
    });
    return { imported, errors };
  }
}
