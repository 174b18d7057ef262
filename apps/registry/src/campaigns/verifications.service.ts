import { CampaignError, CaseError } from '@jingzhun/contracts';
import { Injectable } from '@nestjs/common';
import {
  entryClosedReason,
  exitEligibility,
  isWithin,
  planMemberChanges,
  verificationMemberChanges,
  type VerificationRecord,
} from '@jingzhun/domain';
import type { CampaignData } from '@jingzhun/contracts';
import { conflict, forbidden, invalid, notFound, type AuthUser } from '@jingzhun/platform';
import type { Task } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import { HouseholdRecordsService } from '../households/household-records.service';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { CaseStore } from '../procedures/case.store';
import { PolicyService } from '../procedures/policy.service';
import { TaskStore } from '../procedures/task.store';
import { PhotoStore } from '../photos/photo.store';
import { needsOf } from '../procedures/assessed-facts';
import { VerificationStore } from './verification.store';
import { FindingRouting, type Finding } from './finding-routing';

const FIX_FIELDS = ['education', 'health', 'workStatus', 'medicalInsurance', 'pensionInsurance'] as const;

/**
 * 逐户核查: the visit record a helper (or a village cadre) enters from the comparison sheet. The
 * record, this year's assessment, the plain data fixes, the planned measures and the task's closing
 * are one transaction; then each finding that the law sends to a procedure opens its case (member
 * change, exit, return, monitoring inclusion) in the recorder's name, and the record keeps where it went.
 */
@Injectable()
export class VerificationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly store: VerificationStore,
    private readonly households: HouseholdStore,
    private readonly records: HouseholdRecordsService,
    private readonly tasks: TaskStore,
    private readonly policy: PolicyService,
    private readonly journal: Journal,
    private readonly caseStore: CaseStore,
    private readonly photos: PhotoStore,
    private readonly routing: FindingRouting,
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
    const photoIds = v.photoIds ?? [];
    await this.photos.assertAttachable(photoIds, { householdId, uploadedBy: actor.id, taskId: task.id });
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
      ...(await this.routing.route(actor, c.id, c.year, household, v, unmet, {
        poverty: line,
        monitoring: monitoringLine,
      })),
    ];
    const verificationId = await this.store.setFindings(task.id, findings);
    return { verificationId, householdId, unmetCriteria: unmet, findings };
  }
}
