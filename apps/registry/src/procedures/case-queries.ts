import { HouseholdError } from '@jingzhun/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { jurisdictionPrefix } from '@jingzhun/domain';
import {
  assertJurisdiction,
  CONFIG,
  forbidden,
  notFound,
  type AuthUser,
  type BaseConfig,
  type RegistryConfig,
} from '@jingzhun/platform';
import type { Prisma } from '../generated/prisma/client';
import { HouseholdStore } from '../households/household.store';
import { CaseStore } from './case.store';
import { caseView } from './case.view';

/** The registry's reads of cases: the list, a case's detail with its tasks, notices and timeline. */
@Injectable()
export class CaseQueries {
  constructor(
    private readonly store: CaseStore,
    private readonly households: HouseholdStore,
    @Inject(CONFIG) private readonly config: BaseConfig,
  ) {}

  async get(actor: AuthUser, id: string) {
    const found = await this.store.detail(id);
    if (!found) throw notFound('案件', id);
    const { case: c, timeline, objections, householdNumber } = found;
    assertJurisdiction(actor, c.regionCode);
    await this.assertHelperOf(actor, c.householdId);
    const ui = (this.config as RegistryConfig).TEMPORAL_UI_URL;
    return {
      ...caseView(c),
      householdNumber,
      late: timeline.some((a) => a.action === 'case.late'),
      // Admins follow the workflow in the Temporal Web UI (DESIGN.md).
      temporalUrl:
        actor.role === 'admin' && ui
          ? `${ui}/namespaces/${this.config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(c.workflowId)}`
          : null,
      tasks: c.tasks.map((t) => ({
        id: t.id,
        step: t.step,
        role: t.role,
        regionCode: t.regionCode,
        status: t.status,
        dueAt: t.dueAt,
        availableAt: t.availableAt,
        overdue: t.overdue,
        escalatedTo: t.escalatedRole ? { role: t.escalatedRole, regionCode: t.escalatedRegion } : null,
        decision: t.decision,
        decidedBy: t.decidedBy,
        decidedAt: t.decidedAt,
      })),
      notices: c.notices.map((n) => ({
        id: n.id,
        title: n.title,
        regionCode: n.regionCode,
        status: n.status,
        startsAt: n.startsAt,
        endsAt: n.endsAt,
        // What the objection said is kept; who raised it is not shown (objections may be anonymous).
        objections: objections
          .filter((o) => o.noticeId === n.id)
          .map((o) => ({
            id: o.id,
            content: o.content,
            status: o.status,
            createdAt: o.createdAt,
            resolvedAt: o.resolvedAt,
          })),
      })),
      timeline: timeline.map((a) => ({
        at: a.at,
        actorId: a.actorId,
        actorRole: a.actorRole,
        action: a.action,
        entity: a.entity,
        entityId: a.entityId,
        after: a.after,
      })),
    };
  }

  async assertHelperOf(actor: AuthUser, householdId: string | null): Promise<void> {
    if (actor.role !== 'helper') return;
    const h = householdId ? await this.households.find(householdId) : null;
    if (!h || h.helperId !== actor.id) throw forbidden(HouseholdError.NotAssignedHelper, '您不是该户的帮扶责任人');
  }

  async list(
    actor: AuthUser,
    q: { regionCode?: string; kind?: string; status?: string; page: number; pageSize: number },
  ) {
    const scope = q.regionCode ?? actor.regionCode;
    assertJurisdiction(actor, scope);
    const where: Prisma.CaseWhereInput = { regionCode: { startsWith: jurisdictionPrefix(scope) } };
    if (q.kind) where.kind = q.kind;
    if (q.status) where.status = q.status as never;
    // A helper sees the cases of the households assigned to them, as with households.
    if (actor.role === 'helper') {
      where.householdId = { in: await this.households.idsOfHelper(actor.id) };
    }
    const { total, rows } = await this.store.page(where, q.page, q.pageSize);
    return { items: rows.map(caseView), total, page: q.page, pageSize: q.pageSize };
  }
}
