import { Injectable, Logger } from '@nestjs/common';
import {
  MEMBER_CHANGE_LABELS,
  netIncomePerHead,
  RemovalReason,
  unmetBasicNeeds,
  verificationMemberChanges,
  type VerificationRecord,
} from '@jingzhun/domain';
import type { ProcedureKind } from '@jingzhun/contracts';
import { DomainException, type AuthUser } from '@jingzhun/platform';
import type { Household } from '../generated/prisma/client';
import { needsOf } from '../procedures/assessed-facts';
import { CasesService } from '../procedures/cases.service';

/** Where one finding went: a case opened (or refused, with why), or a change applied at once. */
export interface Finding {
  kind: ProcedureKind | 'data_fix' | 'measure';
  what: string;
  caseId?: string | null;
  refused?: string;
}

/**
 * Where a 逐户核查's findings go (RULES.md rows 1, 4, 6): each finding the law sends to a procedure opens
 * its case in the recorder's name (member change, exit, return, identification on the household's
 * application, monitoring inclusion, 清退), or says why it could not.
 */
@Injectable()
export class FindingRouting {
  private readonly log = new Logger(FindingRouting.name);

  constructor(private readonly cases: CasesService) {}

  /** The findings the law sends to a procedure: each opens its case, or says why it could not. */
  async route(
    actor: AuthUser,
    campaignId: string,
    year: number,
    h: Household,
    v: VerificationRecord,
    unmet: string[],
    lines: { poverty: number | null; monitoring: number | null },
  ): Promise<Finding[]> {
    const out: Finding[] = [];
    const open = async (kind: ProcedureKind, what: string, data: Record<string, unknown>) => {
      try {
        const r = await this.cases.startFromFinding(
          actor,
          kind,
          h.id,
          `年度动态调整入户核查: ${what}`,
          { ...data, campaignCaseId: campaignId },
          year,
        );
        out.push({ kind, what, caseId: r.caseId, ...(r.alreadyOpen ? { refused: '已有进行中的同类程序' } : {}) });
      } catch (err) {
        if (!(err instanceof DomainException) || err.status >= 500)
          this.log.error(`verification of ${h.number}: ${kind} not opened: ${(err as Error).message}`);
        out.push({ kind, what, caseId: null, refused: (err as Error).message });
      }
    };
    // Every member change found at the door goes into one case (one open member change per household).
    const changes = verificationMemberChanges(v);
    if (changes.length > 0)
      await open(
        'member_change',
        changes.map((c) => MEMBER_CHANGE_LABELS[c.change as keyof typeof MEMBER_CHANGE_LABELS]).join('、'),
        { changes },
      );
    const perHead = netIncomePerHead({ ...v.assessment, people: v.assessment.people ?? Math.max(1, h.memberCount) });
    const needsUnmet = unmetBasicNeeds(needsOf(v.assessment)).length > 0;
    // By the year's lines (RULES.md rows 1, 4, 6): below the poverty line → identification (or return when exited);
    // between the poverty and the monitoring line → monitoring inclusion (边缘易致贫户, 脱贫不稳定户); a found risk too.
    const belowPoverty = (lines.poverty !== null && perHead <= lines.poverty) || needsUnmet;
    const belowMonitoring = lines.monitoring !== null && perHead < lines.monitoring;
    const at = `人均 ${perHead} 元 (贫困线 ${lines.poverty ?? '未设'} 元, 监测线 ${lines.monitoring ?? '未设'} 元)`;
    const monitor = (what: string, monitoringType: string) =>
      open('monitoring_inclusion', what, {
        trigger: 'visit',
        monitoringType,
        ...(v.risks.length ? { risks: v.risks } : {}),
        firstClueAt: new Date().toISOString(),
      });
    // Registered or exited wrongly: 清退 with the reason the visit gave (its own notice and sign-offs decide).
    if (v.removalReason) {
      await open('removal', `核查发现: ${RemovalReason.labels[v.removalReason]}`, { removalReason: v.removalReason });
      return out;
    }
    if (h.status === 'POOR' && unmet.length === 0) await open('exit', '收入与两不愁三保障达到退出标准', {});
    if (h.status === 'APPLICANT' && belowPoverty) {
      // Identification is on the household's own application (RULES.md row 1): the form records its consent.
      if (v.householdConsent)
        await open('identification', `收入或两不愁三保障低于标准: ${at}`, { householdConsent: true });
      else
        out.push({
          kind: 'identification',
          what: `收入或两不愁三保障低于标准: ${at}`,
          caseId: null,
          refused: '须农户本人申请 (核查表勾选 householdConsent) 后发起识别',
        });
    } else if (h.status === 'APPLICANT' && (belowMonitoring || v.risks.length > 0))
      await monitor(belowMonitoring ? `边缘易致贫: ${at}` : `发现风险: ${v.risks.join('、')}`, 'MARGINAL');
    if (h.status === 'EXITED' && belowPoverty) await open('return', `脱贫户收入或两不愁三保障低于标准: ${at}`, {});
    else if (h.status === 'EXITED' && (belowMonitoring || v.risks.length > 0))
      await monitor(belowMonitoring ? `脱贫不稳定: ${at}` : `发现风险: ${v.risks.join('、')}`, 'UNSTABLE_EXITED');
    return out;
  }
}
