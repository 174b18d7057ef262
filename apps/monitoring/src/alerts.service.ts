import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  DEPARTMENTS,
  TaskQueues,
  TriageSubjects,
  WorkflowTypes,
  type AlertInput,
  type Department,
  type MemberMatch,
  AlertError,
  CommonError,
} from '@jingzhun/contracts';
import {
  ancestorCode,
  ID_NUMBER_PROBLEM_LABELS,
  idNumberProblem,
  jurisdictionPrefix,
  maskIdNumber,
  normalizeIdNumber,
} from '@jingzhun/domain';
import {
  assertJurisdiction,
  conflict,
  CONFIG,
  forbidden,
  invalid,
  notFound,
  TemporalClientService,
  uuidv7,
  type AuthUser,
  type MonitoringConfig,
} from '@jingzhun/platform';
import { AlertStore } from './alert.store';
import { alertView } from './alert-view';
import type { Prisma } from './generated/prisma/client';
import { startInclusion, type TriageBody } from './registry-inclusion';
import { RiskRules } from './risk-rules';

export type { TriageBody };

/**
 * 预警: department alerts over HTTP and NATS, deduplicated by (department, externalId), the ID
 * number replaced by its keyed hash on arrival (the registry's HMAC, so the registry can find the
 * member) and never stored, logged or published. Each alert is evaluated by a short workflow; the
 * township and county triage it; a confirmation starts monitoring inclusion in the registry.
 */
@Injectable()
export class AlertsService {
  private readonly log = new Logger(AlertsService.name);
  private readonly hashKey: Buffer;

  constructor(
    private readonly alerts: AlertStore,
    private readonly temporal: TemporalClientService,
    private readonly rules: RiskRules,
    @Inject(CONFIG) private readonly config: MonitoringConfig,
  ) {
    this.hashKey = Buffer.from(config.ID_HASH_KEY, 'hex');
  }

  /** The keyed hash matching uses (the registry's HMAC of the normalised ID number). */
  hashOf(idNumber: string): string {
    return createHmac('sha256', this.hashKey).update(normalizeIdNumber(idNumber)).digest('hex');
  }

  departmentOf(user: AuthUser): Department {
    const key = user.id.split('-')[1] as Department;
    if (user.role !== 'department' || !DEPARTMENTS.includes(key))
      throw forbidden(AlertError.NotADepartment, '只有部门数据接口可以报送预警');
    return key;
  }

  /** Stores the alert once and starts its evaluation. Returns the stored alert and whether it was new. */
  async receive(
    department: Department,
    actorId: string,
    input: AlertInput,
    via: 'http' | 'nats',
    fallbackRegion: string | null,
  ) {
    let idHash: string | null = null;
    let idMasked: string | null = null;
    if (input.idNumber) {
      const problem = idNumberProblem(input.idNumber);
      if (problem) throw invalid('idNumber', ID_NUMBER_PROBLEM_LABELS[problem]);
      const id = normalizeIdNumber(input.idNumber);
      idHash = this.hashOf(id);
      idMasked = maskIdNumber(id);
    }
    const id = uuidv7();
    const row = await this.alerts.receive(
      {
        id,
        department,
        externalId: input.externalId,
        kind: input.kind,
        idHash,
        idMasked,
        regionCode: input.villageCode ?? fallbackRegion,
        occurredAt: new Date(input.occurredAt),
        amount: input.amount ?? null,
        details: input.details as Prisma.InputJsonValue,
        receivedVia: via,
      },
      { id: actorId, role: 'department' },
      { department, kind: input.kind, externalId: input.externalId, idMasked, via },
    );
    if (row.created) await this.startEvaluation(row.alert.id, idHash);
    return { id: row.alert.id, status: row.alert.status, duplicate: !row.created };
  }

  private async startEvaluation(alertId: string, idHash: string | null): Promise<void> {
    try {
      const client = await this.temporal.client();
      await client.workflow.start(WorkflowTypes.alertTriage, {
        taskQueue: TaskQueues.processes,
        workflowId: `alert/${alertId}`,
        args: [{ alertId, idHash }],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      this.log.warn(`alert ${alertId}: evaluation not started (${(err as Error).message}); the sweeper retries`);
    }
  }

  async startPending(): Promise<number> {
    const pending = await this.alerts.pendingEvaluation(10_000, 100);
    for (const a of pending) await this.startEvaluation(a.id, a.idHash);
    return pending.length;
  }

  /** Activity: applies the rules in force to a matched (or unmatched) alert and opens its triage item. */
  async evaluate(alertId: string, match: MemberMatch | null): Promise<{ status: string; risky: boolean }> {
    const a = await this.alerts.get(alertId);
    if (a.status !== 'RECEIVED') return { status: a.status, risky: a.risky }; // a retry
    const system = { id: 'system', role: 'admin' };
    // A department reports on its own county (#22): a person it named by ID number who lives in another county is
    // refused once matched — not triaged there, not listed as risky, that household not recorded on the alert.
    const reporterCounty = a.regionCode ? ancestorCode(a.regionCode, 'COUNTY') : null;
    if (
      match &&
      reporterCounty &&
      !reporterCounty.startsWith('000') &&
      ancestorCode(match.villageCode, 'COUNTY') !== reporterCounty
    ) {
      const after = { status: 'REFUSED', reason: '所报人员不在本部门辖区 (另一县)' };
      const entry = { action: 'alert.refused', entity: 'alert', entityId: a.id, before: { status: a.status }, after };
      const moved = await this.alerts.advance(a.id, 'RECEIVED', { status: 'REFUSED', risky: false }, system, [
        { entry },
      ]);
      return moved ? { status: 'REFUSED', risky: false } : this.outcome(a.id);
    }
    const hits = await this.rules.evaluateAlert(a, match);
    const status = match ? 'MATCHED' : a.idHash ? 'UNMATCHED' : 'VILLAGE';
    const regionCode = match?.villageCode ?? a.regionCode;
    const villageCode = regionCode && regionCode.length === 12 && !regionCode.endsWith('000') ? regionCode : null;
    const moved = await this.alerts.advance(
      a.id,
      'RECEIVED',
      {
        status,
        regionCode,
        householdId: match?.householdId ?? null,
        memberId: match?.memberId ?? null,
        householdNumber: match?.householdNumber ?? null,
        householdStatus: match?.status ?? null,
        ruleHits: hits as unknown as Prisma.InputJsonValue,
        risky: hits.length > 0,
      },
      system,
      [
        {
          entry: {
            action: 'alert.evaluated',
            entity: 'alert',
            entityId: a.id,
            before: { status: a.status },
            after: { status, householdNumber: match?.householdNumber ?? null, hits },
          },
          event: {
            subject: TriageSubjects.opened,
            data: {
              alertId: a.id,
              kind: a.kind,
              department: a.department,
              status,
              risky: hits.length > 0,
              householdId: match?.householdId ?? null,
              householdNumber: match?.householdNumber ?? null,
              villageCode,
              countyCode: regionCode ? ancestorCode(regionCode, 'COUNTY') : null,
            },
          },
        },
      ],
    );
    return moved ? { status, risky: hits.length > 0 } : this.outcome(a.id);
  }

  /** What another run of the evaluation stored (two runs raced: the first one's result stands). */
  private async outcome(alertId: string): Promise<{ status: string; risky: boolean }> {
    const a = await this.alerts.get(alertId);
    return { status: a.status, risky: a.risky };
  }

  async list(user: AuthUser, q: { status?: string; regionCode?: string; page: number; pageSize: number }) {
    const scope = q.regionCode ?? user.regionCode;
    assertJurisdiction(user, scope);
    const { total, rows } = await this.alerts.page({
      prefix: jurisdictionPrefix(scope),
      status: q.status,
      page: q.page,
      pageSize: q.pageSize,
    });
    return { items: rows.map(alertView), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * 研判: confirm → monitoring inclusion starts in the registry (POST /cases, on the officer's own
   * token, so the registry checks the officer's rights and records them); dismiss → closed.
   * The alert changes only after the registry answered: nothing is half-written.
   */
  async triage(user: AuthUser, id: string, body: TriageBody, bearer: string) {
    const a = await this.alerts.find(id);
    if (!a) throw notFound('预警', id);
    if (!a.regionCode?.startsWith(jurisdictionPrefix(user.regionCode)))
      throw forbidden(CommonError.OutsideJurisdiction, '该预警不在您的辖区');
    if (a.status === 'CONFIRMED' || a.status === 'DISMISSED')
      throw conflict(AlertError.AlreadyTriaged, `该预警已研判 (${a.status})`);
    if (a.status === 'RECEIVED') throw conflict(AlertError.NotEvaluated, '该预警尚在比对中, 请稍后');
    let caseId: string | null = null;
    if (body.decision === 'confirm') {
      if (!a.householdId)
        throw conflict(
          AlertError.NoHousehold,
          a.status === 'UNMATCHED'
            ? '未匹配到在册人员, 不能直接纳入监测; 请先核实身份'
            : '村级预警须逐户排查后由村发起纳入监测',
        );
      caseId = await startInclusion(this.config.REGISTRY_URL, a, body, bearer);
    }
    const status = body.decision === 'confirm' ? 'CONFIRMED' : 'DISMISSED';
    const moved = await this.alerts.advance(
      id,
      a.status,
      { status, triagedBy: user.id, triagedAt: new Date(), triageComment: body.comment, caseId },
      user,
      [
        {
          entry: {
            action: 'alert.triaged',
            entity: 'alert',
            entityId: id,
            before: { status: a.status },
            after: { status, comment: body.comment, caseId },
          },
          event: {
            subject: TriageSubjects.decided,
            data: { alertId: id, status, caseId, householdId: a.householdId, householdNumber: a.householdNumber },
          },
        },
      ],
    );
    if (!moved) throw conflict(AlertError.AlreadyTriaged, '该预警已被他人研判');
    return alertView(await this.alerts.get(id));
  }
}
