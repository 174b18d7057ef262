import { CampaignError, CaseError } from '@jingzhun/contracts';
import { Injectable, Logger } from '@nestjs/common';
import {
  entryClosedReason,
  exitEligibility,
  isWithin,
  RemovalReason,
  MEMBER_CHANGE_LABELS,
  netIncomePerHead,
  planMemberChanges,
  recordedAtIssue,
  unmetBasicNeeds,
  verificationMemberChanges,
  type VerificationRecord,
} from '@jingzhun/domain';
import type { CampaignData, ProcedureKind } from '@jingzhun/contracts';
import { conflict, DomainException, forbidden, invalid, notFound, type AuthUser } from '@jingzhun/platform';
import type { Household, Task } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import { HouseholdRecordsService } from '../households/household-records.service';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { CaseStore } from '../procedures/case.store';
import { CasesService } from '../procedures/cases.service';
import { PolicyService } from '../procedures/policy.service';
import { TaskStore } from '../procedures/task.store';
import { PhotoStore } from '../photos/photo.store';
import { needsOf } from '../procedures/assessed-facts';
import { VerificationStore } from './verification.store';

/** Where one finding went: a case opened (or refused, with why), or a change applied at once. */
export interface Finding {
  kind: ProcedureKind | 'data_fix' | 'measure';
  what: string;
  caseId?: string | null;
  refused?: string;
}

const FIX_FIELDS = ['education', 'health', 'workStatus', 'medicalInsurance', 'pensionInsurance'] as const;

/**
 * 逐户核查: the visit record a helper (or a village cadre) enters from the comparison sheet. The
 * record, this year's assessment, the plain data fixes, the planned measures and the task's closing
 * are one transaction; then each finding that the law sends to a procedure opens its case (member
 * change, exit, return, monitoring inclusion) in the recorder's name, and the record keeps where it went.
 */
@Injectable()
export class VerificationsService {
  private readonly log = new Logger(VerificationsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly store: VerificationStore,
    private readonly households: HouseholdStore,
    private readonly records: HouseholdRecordsService,
    private readonly tasks: TaskStore,
    private readonly cases: CasesService,
    private readonly policy: PolicyService,
    private readonly journal: Journal,
    private readonly caseStore: CaseStore,
    private readonly photos: PhotoStore,
  ) {}

  /** The open (or done) verification task of a household in a campaign, and whether this user may record it. */
  async taskFor(actor: AuthUser, campaignId: string, householdId: string): Promise<Task> {
    const task = await this.store.task(campaignId, householdId);
    if (!task) throw notFound('核查任务', householdId);
    const mayRecord =
      actor.id === task.assigneeId ||
      (actor.role === 'village' && isWithin(actor.regionCode, task.regionCode)) ||
      (task.escalatedRole === actor.role &&
        task.escalatedRegion !== null &&
        isWithin(actor.regionCode, task.escalatedRegion));
    if (!mayRecord) throw forbidden(CaseError.NotAssignee, '该户的入户核查由其帮扶责任人或本村干部办理');
    return task;
  }

  /**
   * With an Idempotency-Key (the phone's outbox, #24) a request repeated after its answer was lost gets
   * the first answer, read back from the record it wrote; another submit for a verified household is a 409.
   */
  async record(actor: AuthUser, campaignId: string, householdId: string, v: VerificationRecord, key?: string) {
    const task = await this.taskFor(actor, campaignId, householdId);
    if (task.status !== 'OPEN') {
      const first = key ? await this.store.byClientKey(task.id, actor.id, key) : null;
      if (first) return first;
      throw conflict(CampaignError.AlreadyVerified, '该户本年度已完成入户核查');
    }
    // Made on a phone without signal: the entry deadline is checked at the moment it was made.
    const recordedAt = v.recordedAt;
    if (recordedAt) {
      const issue = recordedAtIssue(recordedAt);
      if (issue) throw invalid('recordedAt', issue);
    }
    const photoIds = v.photoIds ?? [];
    const missing = await this.photos.unavailable(photoIds, { householdId, uploadedBy: actor.id, taskId: task.id });
    if (missing.length > 0) throw invalid('photoIds', `照片未上传, 或不是本人为本户上传的: ${missing.join(', ')}`);
    const active = await this.households.activeMembers(householdId);
    v.members.forEach((m, i) => {
      if (!active.some((a) => a.id === m.memberId)) throw invalid(`members.${i}.memberId`, '该成员不在本户在册成员中');
    });
    // The member changes found at the door, as the member-change procedure will check them: a head who left names the new head.
    const { obstacles: memberObstacles } = planMemberChanges(verificationMemberChanges(v) as never, active);
    if (memberObstacles.length > 0) {
      const headLeft = v.members.findIndex(
        (m) => m.left && active.find((a) => a.id === m.memberId)?.relation === 'HEAD',
      );
      throw invalid(v.newHeadId || headLeft < 0 ? 'newHeadId' : `members.${headLeft}.left`, memberObstacles.join('; '));
    }
    const c = await this.caseStore.findCampaign(campaignId);
    if (c?.status !== 'OPEN') throw conflict(CampaignError.CampaignClosed, '年度动态调整已结束或已撤销');
    // The data-entry deadline (a county extension, audited, reopens it).
    const data = c.data as unknown as CampaignData & { entryExtendedUntil?: string };
    const late = entryClosedReason(
      {
        year: c.year,
        step: c.step,
        calendar: data.calendar,
        extendedUntil: data.entryExtendedUntil,
      },
      recordedAt ? new Date(recordedAt) : new Date(),
      recordedAt !== undefined,
    );
    if (late) throw conflict(CampaignError.EntryClosed, late);
    const line = await this.policy.povertyLine(c.year, task.regionCode);
    const monitoringLine = await this.policy.monitoringLine(c.year, task.regionCode);

    const planned: Finding[] = [];
    const { household, unmet } = await this.prisma.$transaction(async (tx) => {
      const h = await this.households.lock(tx, householdId);
      if (!h) throw notFound('户', householdId);
      const fresh = await this.tasks.findWithCase(task.id);
      if (fresh?.status !== 'OPEN') throw conflict(CampaignError.AlreadyVerified, '该户本年度已完成入户核查');
      await this.records.assessmentIn(tx, actor, h, { ...v.assessment, year: c.year });
      for (const m of v.members) {
        const fix = Object.fromEntries(FIX_FIELDS.filter((f) => m[f] !== undefined).map((f) => [f, m[f]]));
        if (Object.keys(fix).length === 0) continue;
        const before = await this.households.correctMember(tx, m.memberId, fix);
        await this.journal.record(tx, actor, {
          action: 'member.corrected',
          entity: 'member',
          entityId: m.memberId,
          householdId,
          regionCode: h.villageCode,
          caseId: c.id,
          before: Object.fromEntries(Object.keys(fix).map((f) => [f, before[f as keyof typeof before]])),
          after: fix,
        });
        planned.push({ kind: 'data_fix', what: `${before.name}: ${Object.keys(fix).join(', ')}` });
      }
      // For a POOR household that stays below the standard: the criteria it misses and the measures planned.
      // The one exit rule (libs/domain), on what the visit found and the people it counted living there.
      const standing = {
        year: c.year,
        assessment: { ...v.assessment, needs: needsOf(v.assessment) },
        residents:
          v.assessment.people ??
          Math.max(1, active.length - v.members.filter((m) => m.left).length + v.newMembers.length),
        povertyLine: line,
      };
      const obstacles =
        h.status === 'POOR'
          ? exitEligibility({
              ...standing,
              status: h.status,
              identifiedYear: h.identifiedYear,
              returnedYear: h.returnedYear,
            })
          : [];
      if (h.status === 'POOR' && obstacles.length > 0 && !v.removalReason) {
        // 未达退出标准: the record states why (分析原因) and at least one targeted measure (制定针对性帮扶措施).
        if (!v.causeAnalysis || v.causeAnalysis.length < 4)
          throw invalid('causeAnalysis', `未达退出标准 (${obstacles.join('; ')}): 请分析原因 (至少 4 个字)`);
        if (v.plannedMeasures.length === 0)
          throw invalid(
            'plannedMeasures',
            '未达退出标准: 至少制定一项针对性帮扶措施 (产业、就业、教育、健康、社会保障)',
          );
        for (const m of v.plannedMeasures) {
          await this.records.measureIn(tx, actor, h, {
            kind: m.kind,
            description: m.description,
            year: c.year,
            startedOn: v.assessment.assessedOn,
          });
          planned.push({ kind: 'measure', what: m.description });
        }
      }
      // The record keeps no ID number: a new member's goes sealed into the member-change case only.
      const safe = {
        ...v,
        newMembers: v.newMembers.map((n) => ({ reason: n.reason, name: n.member.name, relation: n.member.relation })),
        ...(key ? { clientKey: key } : {}),
      };
      const verificationId = await this.store.create(tx, {
        caseId: c.id,
        taskId: task.id,
        householdId,
        villageCode: h.villageCode,
        visitors: v.visitors,
        documents: v.documents,
        record: safe,
        unmetCriteria: obstacles,
        recordedBy: actor.id,
        ...(recordedAt ? { recordedAt: new Date(recordedAt) } : {}),
      });
      await this.photos.attach(photoIds, { householdId, uploadedBy: actor.id, caseId: c.id, taskId: task.id }, tx);
      await this.tasks.close(tx, {
        taskId: task.id,
        decision: 'approve',
        comment: v.note ?? '入户核查完成',
        data: { verificationId },
        actor,
      });
      await this.journal.record(tx, actor, {
        action: 'campaign.verified',
        entity: 'verification',
        entityId: verificationId,
        householdId,
        regionCode: h.villageCode,
        caseId: c.id,
        after: {
          visitors: v.visitors,
          documents: v.documents,
          unmetCriteria: obstacles,
          recordedAt: recordedAt ?? null,
          receivedAt: new Date().toISOString(),
          photoIds,
        },
      });
      return { household: h, unmet: obstacles, verificationId };
    });

    const findings = [
      ...planned,
      ...(await this.route(actor, c.id, c.year, household, v, unmet, { poverty: line, monitoring: monitoringLine })),
    ];
    const verificationId = await this.store.setFindings(task.id, findings);
    return { verificationId, householdId, unmetCriteria: unmet, findings };
  }

  /** The findings the law sends to a procedure: each opens its case, or says why it could not. */
  private async route(
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
