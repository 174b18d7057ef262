import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  alertInputSchema,
  DEPARTMENTS,
  parseEventPayload,
  TaskQueues,
  TriageSubjects,
  WorkflowTypes,
  type AlertInput,
  type Department,
  type MemberMatch,
  Streams,
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
  DomainException,
  forbidden,
  invalid,
  JetStreamService,
  notFound,
  outboxEvent,
  outboxTraceContext,
  PermanentError,
  TemporalClientService,
  uuidv7,
  type AuthUser,
  type MonitoringConfig,
} from '@jingzhun/platform';
import type { Prisma } from './generated/prisma/client';
import { MonitoringPrisma, type MonitoringTx } from './prisma.service';
import { RiskRules } from './risk-rules';

export interface TriageBody {
  decision: 'confirm' | 'dismiss';
  comment: string;
  monitoringType?: string;
}

/**
 * 预警: department alerts over HTTP and NATS, deduplicated by (department, externalId), the ID
 * number replaced by its keyed hash on arrival (the registry's HMAC, so the registry can find the
 * member) and never stored, logged or published. Each alert is evaluated by a short workflow; the
 * township and county triage it; a confirmation starts monitoring inclusion in the registry.
 */
@Injectable()
export class AlertsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(AlertsService.name);
  private readonly hashKey: Buffer;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly prisma: MonitoringPrisma,
    private readonly temporal: TemporalClientService,
    private readonly nats: JetStreamService,
    private readonly rules: RiskRules,
    @Inject(CONFIG) private readonly config: MonitoringConfig,
  ) {
    this.hashKey = Buffer.from(config.ID_HASH_KEY, 'hex');
  }

  onApplicationBootstrap(): void {
    // Departments may publish on NATS instead of calling POST /alerts.
    for (const dept of DEPARTMENTS)
      this.nats.consume(
        {
          stream: Streams.alerts.name,
          durable: `monitoring-alerts-${dept}`,
          filterSubjects: [`alerts.${dept}.*`],
          maxDeliver: 10,
          backoffMs: [1000, 5000, 30000],
          // An alert carries an ID number: kept in the stream only until it is taken in, and its dead letter keeps the keyed hash.
          removeAfterIntake: true,
          deadLetterData: (data) => this.withoutIdNumber(data),
        },
        async (event, msg) => {
          const [, department, scope] = msg.subject.split('.') as [string, Department, string];
          const parsed = alertInputSchema.safeParse(event.data);
          // A malformed alert cannot get better by retrying: it is dead-lettered with the field named.
          if (!parsed.success)
            throw new PermanentError(
              `invalid alert: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
            );
          // alerts.<department>.<county>: NATS lets that county's department publish there only; its alerts must lie in it.
          const county = /^\d{6}$/.test(scope) ? scope : null;
          if (county && !(parsed.data.villageCode ?? '').startsWith(county))
            throw new PermanentError(
              `alert outside county ${county}: villageCode ${parsed.data.villageCode ?? '(none)'}`,
            );
          await this.receive(
            department,
            county ? `dept-${department}-${county}` : `dept-${department}`,
            parsed.data,
            'nats',
            county ? `${county}000000` : null,
          );
        },
      );
    // Alerts whose evaluation could not be started (Temporal away) are started again.
    this.sweeper = setInterval(() => void this.startPending().catch(() => undefined), 15_000);
  }

  beforeApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** A dead letter's copy of an alert: the ID number replaced by its keyed hash (what matching uses anyway). */
  private withoutIdNumber(data: Uint8Array): Uint8Array {
    const envelope = JSON.parse(new TextDecoder().decode(data)) as { data?: Record<string, unknown> };
    const id = envelope.data?.idNumber;
    if (envelope.data && typeof id === 'string') {
      delete envelope.data.idNumber;
      envelope.data.idHash = createHmac('sha256', this.hashKey).update(normalizeIdNumber(id)).digest('hex');
    }
    return new TextEncoder().encode(JSON.stringify(envelope));
  }

  departmentOf(user: AuthUser): Department {
    const key = user.id.split('-')[1] as Department;
    if (user.role !== 'department' || !DEPARTMENTS.includes(key))
      throw forbidden('NOT_A_DEPARTMENT', '只有部门数据接口可以报送预警');
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
      idHash = createHmac('sha256', this.hashKey).update(id).digest('hex');
      idMasked = maskIdNumber(id);
    }
    const id = uuidv7();
    const row = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.alert.findUnique({
        where: { department_externalId: { department, externalId: input.externalId } },
      });
      if (existing) return { alert: existing, created: false };
      const alert = await tx.alert.create({
        data: {
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
      });
      await this.audit(tx, { id: actorId, role: 'department' }, 'alert.received', alert.id, null, {
        department,
        kind: input.kind,
        externalId: input.externalId,
        idMasked,
        via,
      });
      return { alert, created: true };
    });
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
    const pending = await this.prisma.alert.findMany({
      where: { status: 'RECEIVED', createdAt: { lt: new Date(Date.now() - 10_000) } },
      take: 100,
    });
    for (const a of pending) await this.startEvaluation(a.id, a.idHash);
    return pending.length;
  }

  /** Activity: applies the rules in force to a matched (or unmatched) alert and opens its triage item. */
  async evaluate(alertId: string, match: MemberMatch | null): Promise<{ status: string; risky: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const a = await tx.alert.findUniqueOrThrow({ where: { id: alertId } });
      if (a.status !== 'RECEIVED') return { status: a.status, risky: a.risky }; // a retry
      // A department reports on its own county (#22): a person it named by ID number who lives in another county is
      // refused once matched — not triaged there, not listed as risky, that household not recorded on the alert.
      const reporterCounty = a.regionCode ? ancestorCode(a.regionCode, 'COUNTY') : null;
      if (
        match &&
        reporterCounty &&
        !reporterCounty.startsWith('000') &&
        ancestorCode(match.villageCode, 'COUNTY') !== reporterCounty
      ) {
        await tx.alert.update({ where: { id: a.id }, data: { status: 'REFUSED', risky: false } });
        await this.audit(
          tx,
          { id: 'system', role: 'admin' },
          'alert.refused',
          a.id,
          { status: a.status },
          { status: 'REFUSED', reason: '所报人员不在本部门辖区 (另一县)' },
        );
        return { status: 'REFUSED', risky: false };
      }
      const hits = await this.rules.evaluateAlert(a, match);
      const status = match ? 'MATCHED' : a.idHash ? 'UNMATCHED' : 'VILLAGE';
      const regionCode = match?.villageCode ?? a.regionCode;
      await tx.alert.update({
        where: { id: a.id },
        data: {
          status,
          regionCode,
          householdId: match?.householdId ?? null,
          memberId: match?.memberId ?? null,
          householdNumber: match?.householdNumber ?? null,
          householdStatus: match?.status ?? null,
          ruleHits: hits as unknown as Prisma.InputJsonValue,
          risky: hits.length > 0,
        },
      });
      await this.audit(
        tx,
        { id: 'system', role: 'admin' },
        'alert.evaluated',
        a.id,
        { status: a.status },
        { status, householdNumber: match?.householdNumber ?? null, hits },
      );
      const villageCode = regionCode && regionCode.length === 12 && !regionCode.endsWith('000') ? regionCode : null;
      await this.publish(tx, TriageSubjects.opened, {
        alertId: a.id,
        kind: a.kind,
        department: a.department,
        status,
        risky: hits.length > 0,
        householdId: match?.householdId ?? null,
        householdNumber: match?.householdNumber ?? null,
        villageCode,
        countyCode: regionCode ? ancestorCode(regionCode, 'COUNTY') : null,
      });
      return { status, risky: hits.length > 0 };
    });
  }

  async list(user: AuthUser, q: { status?: string; regionCode?: string; page: number; pageSize: number }) {
    const scope = q.regionCode ?? user.regionCode;
    assertJurisdiction(user, scope);
    const where: Prisma.AlertWhereInput = {
      regionCode: { startsWith: jurisdictionPrefix(scope) },
      ...(q.status ? { status: q.status } : {}),
    };
    const [total, rows] = await Promise.all([
      this.prisma.alert.count({ where }),
      this.prisma.alert.findMany({
        where,
        orderBy: { createdAt: 'desc' },
        skip: (q.page - 1) * q.pageSize,
        take: q.pageSize,
      }),
    ]);
    return { items: rows.map(alertView), total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * 研判: confirm → monitoring inclusion starts in the registry (POST /cases, on the officer's own
   * token, so the registry checks the officer's rights and records them); dismiss → closed.
   * The alert changes only after the registry answered: nothing is half-written.
   */
  async triage(user: AuthUser, id: string, body: TriageBody, bearer: string) {
    const a = await this.prisma.alert.findUnique({ where: { id } });
    if (!a) throw notFound('预警', id);
    if (!a.regionCode?.startsWith(jurisdictionPrefix(user.regionCode)))
      throw forbidden('OUTSIDE_JURISDICTION', '该预警不在您的辖区');
    if (a.status === 'CONFIRMED' || a.status === 'DISMISSED')
      throw conflict('ALREADY_TRIAGED', `该预警已研判 (${a.status})`);
    if (a.status === 'RECEIVED') throw conflict('NOT_EVALUATED', '该预警尚在比对中, 请稍后');
    let caseId: string | null = null;
    if (body.decision === 'confirm') {
      if (!a.householdId)
        throw conflict(
          'NO_HOUSEHOLD',
          a.status === 'UNMATCHED'
            ? '未匹配到在册人员, 不能直接纳入监测; 请先核实身份'
            : '村级预警须逐户排查后由村发起纳入监测',
        );
      caseId = await this.startInclusion(a, body, bearer);
    }
    const status = body.decision === 'confirm' ? 'CONFIRMED' : 'DISMISSED';
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.alert.updateMany({
        where: { id, status: a.status },
        data: { status, triagedBy: user.id, triagedAt: new Date(), triageComment: body.comment, caseId },
      });
      if (updated.count === 0) throw conflict('ALREADY_TRIAGED', '该预警已被他人研判');
      await this.audit(tx, user, 'alert.triaged', id, { status: a.status }, { status, comment: body.comment, caseId });
      await this.publish(tx, TriageSubjects.decided, {
        alertId: id,
        status,
        caseId,
        householdId: a.householdId,
        householdNumber: a.householdNumber,
      });
    });
    return alertView(await this.prisma.alert.findUniqueOrThrow({ where: { id } }));
  }

  private async startInclusion(
    a: {
      id: string;
      householdId: string | null;
      householdStatus: string | null;
      kind: string;
      department: string;
      createdAt: Date;
    },
    body: TriageBody,
    bearer: string,
  ): Promise<string> {
    const monitoringType =
      body.monitoringType ??
      (a.householdStatus === 'EXITED'
        ? 'UNSTABLE_EXITED'
        : a.kind === 'disaster' || a.kind === 'medical_expense'
          ? 'SUDDEN_HARDSHIP'
          : 'MARGINAL');
    let res: Response;
    try {
      res = await fetch(new URL('/cases', this.config.REGISTRY_URL), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer },
        // The 15-day clock runs from the alert's arrival, the first risk clue.
        body: JSON.stringify({
          kind: 'monitoring_inclusion',
          householdId: a.householdId,
          reason: `部门预警 (${a.department}: ${a.kind}) 研判确认`,
          data: { trigger: 'alert', firstClueAt: a.createdAt.toISOString(), alertId: a.id, monitoringType },
        }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new DomainException(
        503,
        'REGISTRY_UNAVAILABLE',
        `台账服务暂不可用, 请稍后重试 (${(err as Error).message})`,
      );
    }
    const json = (await res.json().catch(() => ({}))) as {
      id?: string;
      error?: { code: string; message: string; details?: { caseId?: string } };
    };
    if (res.ok && json.id) return json.id;
    if (res.status === 409 && json.error?.code === 'CASE_ALREADY_OPEN' && json.error.details?.caseId)
      return json.error.details.caseId;
    throw new DomainException(
      res.status >= 500 ? 503 : (res.status as 400),
      json.error?.code ?? 'REGISTRY_REFUSED',
      `台账服务拒绝发起纳入监测: ${json.error?.message ?? res.status}`,
    );
  }

  private async audit(
    tx: MonitoringTx,
    actor: { id: string; role: string },
    action: string,
    entityId: string,
    before: unknown,
    after: unknown,
  ) {
    await tx.audit.create({
      data: {
        actorId: actor.id,
        actorRole: actor.role,
        action,
        entity: 'alert',
        entityId,
        before: before as Prisma.InputJsonValue,
        after: after as Prisma.InputJsonValue,
      },
    });
  }

  async publish(tx: MonitoringTx, subject: string, data: Record<string, unknown>) {
    parseEventPayload(subject, data); // a wrong shape fails this transaction, not a consumer
    const e = outboxEvent('monitoring', subject, data);
    await tx.outbox.create({
      data: { id: e.id, subject, payload: e as unknown as Prisma.InputJsonValue, traceContext: outboxTraceContext() },
    });
  }
}

export function alertView(a: {
  id: string;
  department: string;
  externalId: string;
  kind: string;
  idMasked: string | null;
  regionCode: string | null;
  occurredAt: Date;
  amount: number | null;
  status: string;
  householdId: string | null;
  householdNumber: string | null;
  ruleHits: unknown;
  risky: boolean;
  triagedBy: string | null;
  triagedAt: Date | null;
  triageComment: string | null;
  caseId: string | null;
  createdAt: Date;
  receivedVia: string;
}) {
  return {
    id: a.id,
    department: a.department,
    externalId: a.externalId,
    kind: a.kind,
    idMasked: a.idMasked,
    regionCode: a.regionCode,
    occurredAt: a.occurredAt,
    amount: a.amount,
    status: a.status,
    householdId: a.householdId,
    householdNumber: a.householdNumber,
    ruleHits: a.ruleHits,
    risky: a.risky,
    receivedVia: a.receivedVia,
    triage: a.triagedBy ? { by: a.triagedBy, at: a.triagedAt, comment: a.triageComment, caseId: a.caseId } : null,
    createdAt: a.createdAt,
  };
}
