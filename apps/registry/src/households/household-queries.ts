import { HouseholdError } from '@jingzhun/contracts';
import { Injectable } from '@nestjs/common';
import {
  cstYear,
  jurisdictionPrefix,
  maskIdNumber,
  normalizeIdNumber,
  type HouseholdListQuery,
} from '@jingzhun/domain';
import { assertJurisdiction, forbidden, likeLiteral, notFound, type AuthUser } from '@jingzhun/platform';
import type { Household, Prisma } from '../generated/prisma/client';
import { IdNumberVault } from '../id-numbers/id-number-vault';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { PolicyService } from '../procedures/policy.service';
import { HouseholdStore } from './household.store';
import { assessmentView, householdSummary, measureView, memberView } from './household.view';
import { IdSearchLimit } from './id-search-limit';

/** Roles that see full ID numbers in a household's detail view (DESIGN.md). */
const FULL_ID_ROLES = new Set(['county', 'admin']);

/** The registry's reads of households: the list and its search, a household's detail and its history. */
@Injectable()
export class HouseholdQueries {
  private readonly idSearches = new IdSearchLimit();

  constructor(
    private readonly prisma: PrismaService,
    private readonly vault: IdNumberVault,
    private readonly journal: Journal,
    private readonly store: HouseholdStore,
    private readonly policy: PolicyService,
  ) {}

  async detail(actor: AuthUser, id: string) {
    const h = await this.store.detail(id);
    if (!h) throw notFound('户', id);
    this.assertCanRead(actor, h);
    const reveal = FULL_ID_ROLES.has(actor.role);
    const year = cstYear();
    return {
      ...householdSummary(h),
      helper: h.helper ? { id: h.helper.id, name: h.helper.name } : null,
      standard: {
        year,
        povertyLine: await this.policy.povertyLine(year, h.villageCode),
        monitoringLine: await this.policy.monitoringLine(year, h.villageCode),
      },
      members: h.members.map((m) => memberView(m, reveal ? this.vault.open(m.idCipher) : m.idMasked, reveal)),
      assessments: h.assessments.map(assessmentView),
      measures: h.measures.map(measureView),
    };
  }

  async list(actor: AuthUser, query: HouseholdListQuery) {
    let idSearch: string | null = null;
    const scope = query.regionCode ?? actor.regionCode;
    assertJurisdiction(actor, scope);
    const where: Prisma.HouseholdWhereInput = { villageCode: { startsWith: jurisdictionPrefix(scope) } };
    if (query.status) where.status = query.status;
    if (actor.role === 'helper') where.helperId = actor.id;
    if (query.q) {
      const compact = query.q.replace(/\s+/g, '');
      if (/^\d{17}[\dXx]$/.test(compact)) {
        // Only who sees full numbers may search by one (else a masked number plus the age is rebuilt by trying
        // candidates); limited per hour and audited, without the number itself.
        if (!FULL_ID_ROLES.has(actor.role))
          throw forbidden(
            HouseholdError.IdSearchNotAllowed,
            '按完整身份证号查找仅限县级和管理员; 请按户主姓名或户编号查找',
          );
        this.idSearches.take(actor.id);
        idSearch = maskIdNumber(normalizeIdNumber(compact));
        where.members = { some: { idHash: this.vault.hash(compact) } };
      } else if (/^\d+$/.test(compact)) {
        where.number = { startsWith: compact };
      } else {
        where.headName = { startsWith: likeLiteral(query.q) };
      }
    }
    const { total, rows } = await this.store.page(where, query.page, query.pageSize);
    if (idSearch) {
      const masked = idSearch;
      await this.prisma.$transaction((tx) =>
        this.journal.record(tx, actor, {
          action: 'household.id_search',
          entity: 'user',
          entityId: actor.id,
          regionCode: scope,
          after: { idMasked: masked, found: total },
        }),
      );
    }
    return {
      items: rows.map((h) => ({
        ...householdSummary(h),
        headIdNumber: h.members[0]?.idMasked ?? null,
        villageName: h.village?.name ?? null,
        townshipName: h.village?.parent?.name ?? null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async history(actor: AuthUser, id: string) {
    const h = await this.store.find(id);
    if (!h) throw notFound('户', id);
    this.assertCanRead(actor, h);
    const rows = await this.store.history(id);
    return {
      householdId: id,
      number: h.number,
      items: rows.map((r) => ({
        id: r.id.toString(),
        at: r.at,
        actorId: r.actorId,
        actorRole: r.actorRole,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        caseId: r.caseId,
        before: r.before,
        after: r.after,
      })),
    };
  }

  /** Who may read a household (its detail, its photos): within the jurisdiction, and a helper only their own. */
  assertCanRead(actor: AuthUser, h: Household) {
    assertJurisdiction(actor, h.villageCode);
    if (actor.role === 'helper' && h.helperId !== actor.id)
      throw forbidden(HouseholdError.NotAssignedHelper, '您不是该户的帮扶责任人');
  }
}
