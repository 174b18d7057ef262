import { CommonError } from '@jingzhun/contracts';
import { Injectable } from '@nestjs/common';
import { assertJurisdiction, forbidden, notFound, type AuthUser } from '@jingzhun/platform';
import { isWithin } from '@jingzhun/domain';
import { CaseStore } from '../procedures/case.store';
import { RegionStore } from '../regions/region.store';
import type { SheetHousehold } from './comparison-sheet';
import { PdfRenderer } from '../pdf/pdf-renderer';
import { VerificationStore } from './verification.store';
import { VerificationsService } from './verifications.service';

/** 对照表: the comparison sheets a visit is done with, per household or batch-printed per village. */
@Injectable()
export class ComparisonSheetsService {
  constructor(
    private readonly store: VerificationStore,
    private readonly regions: RegionStore,
    private readonly verifications: VerificationsService,
    private readonly cases: CaseStore,
    private readonly pdfs: PdfRenderer,
  ) {}

  async household(
    actor: AuthUser,
    campaignId: string,
    householdId: string,
  ): Promise<{ fileName: string; pdf: Buffer }> {
    await this.verifications.taskFor(actor, campaignId, householdId);
    const sheets = await this.sheets([householdId]);
    return {
      fileName: `comparison-sheet-${sheets[0]?.number ?? householdId}.pdf`,
      pdf: await this.pdfs.render(actor.id, { kind: 'sheets', title: '年度动态调整入户核查对照表', sheets }),
    };
  }

  /** A village's sheets in one PDF, for the village's cadres and the officers above them; a helper prints their own households. */
  async village(actor: AuthUser, campaignId: string, villageCode: string): Promise<{ fileName: string; pdf: Buffer }> {
    assertJurisdiction(actor, villageCode);
    if (actor.role === 'helper') throw forbidden(CommonError.RoleNotAllowed, '帮扶责任人请逐户打印对照表');
    const c = await this.cases.findCampaign(campaignId);
    if (!c) throw notFound('年度动态调整', campaignId);
    // Another county's campaign is not the caller's to print, even for a village of their own (#22: was an empty 200 PDF).
    if (!isWithin(c.regionCode, villageCode))
      throw forbidden(CommonError.OutsideJurisdiction, '该行政村不在本次年度动态调整的范围内');
    const sheets = await this.sheets(await this.store.householdsOfVillage(campaignId, villageCode));
    return {
      fileName: `comparison-sheets-${villageCode}.pdf`,
      pdf: await this.pdfs.render(actor.id, { kind: 'sheets', title: `${c.year} 年度动态调整入户核查对照表`, sheets }),
    };
  }

  /** The sheets of these households, pre-filled from the registry (the bench prints a 300-household village with it). */
  async sheets(householdIds: string[]): Promise<SheetHousehold[]> {
    const rows = await this.store.sheets(householdIds);
    const villageNames = new Map<string, string>();
    for (const code of new Set(rows.map((r) => r.villageCode)))
      villageNames.set(code, (await this.regions.name(code)) ?? code);
    return rows.map((h) => ({
      number: h.number,
      headName: h.headName,
      status: h.status,
      villageName: villageNames.get(h.villageCode) ?? h.villageCode,
      helperName: h.helper?.name ?? null,
      members: h.members.map((m) => ({
        name: m.name,
        relation: m.relation,
        sex: m.sex,
        idMasked: m.idMasked,
        education: m.education,
        health: m.health,
        labourCapacity: m.labourCapacity,
        workStatus: m.workStatus,
        medicalInsurance: m.medicalInsurance,
        pensionInsurance: m.pensionInsurance,
      })),
      assessment: h.assessments[0] ?? null,
      measures: h.measures.map((m) => ({ kind: m.kind, description: m.description, year: m.year })),
    }));
  }
}
