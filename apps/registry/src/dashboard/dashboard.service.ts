import { Injectable } from '@nestjs/common';
import { incidence, jurisdictionPrefix, regionLevelOf } from '@jingzhun/domain';
import { assertJurisdiction, type AuthUser } from '@jingzhun/platform';
import { InboxStore } from '../procedures/inbox.store';
import { PolicyService } from '../procedures/policy.service';
import { DashboardStore } from './dashboard.store';

/** Digits of the village code that name the area one level below the scope. */
const AREA_LENGTH = { PROVINCE: 4, CITY: 6, COUNTY: 9, TOWNSHIP: 12, VILLAGE: 12 } as const;

@Injectable()
export class DashboardService {
  constructor(
    private readonly store: DashboardStore,
    private readonly inbox: InboxStore,
    private readonly policy: PolicyService,
  ) {}

  async get(actor: AuthUser, regionCode?: string) {
    const everything = actor.role === 'admin' && !regionCode;
    const scope = regionCode ?? actor.regionCode;
    if (!everything) assertJurisdiction(actor, scope);
    const prefix = everything ? '' : jurisdictionPrefix(scope);
    const level = everything ? null : regionLevelOf(scope);
    const areaLength = level ? AREA_LENGTH[level] : 6;
    const [households, overdue, villages, inFlight, open, children, mineOpen, mineOverdue] = await Promise.all([
      this.store.householdsByArea(prefix, areaLength),
      this.store.overdueByArea(prefix, areaLength),
      this.store.villages(prefix),
      this.store.casesInFlight(prefix),
      this.store.openTasks(prefix),
      level === 'VILLAGE' ? this.store.areas([scope]) : this.store.childrenOf(everything ? null : scope),
      actor.role === 'admin' ? 0 : this.inbox.count(actor, { status: 'open', page: 1, pageSize: 1 }),
      actor.role === 'admin' ? 0 : this.inbox.count(actor, { status: 'open', page: 1, pageSize: 1, overdue: 'true' }),
    ]);
    const now = new Date();
    const thresholds = new Map<string, number>();
    for (const v of villages) {
      const key = `${v.code.slice(0, 2)}:${v.western}`;
      if (!thresholds.has(key)) thresholds.set(key, await this.policy.villageExitThreshold(v.code, v.western, now));
    }
    const areas = children.map((a) => ({
      code: a.code,
      name: a.name,
      households: Object.fromEntries(households.filter((h) => h.area === a.code).map((h) => [h.status, h.n])),
      overdueTasks: overdue.filter((o) => o.area === a.code && !o.revisit).reduce((s, o) => s + o.n, 0),
      overdueRevisits: overdue.filter((o) => o.area === a.code && o.revisit).reduce((s, o) => s + o.n, 0),
    }));
    return {
      regionCode: everything ? null : scope,
      areas,
      villages: villages.map((v) => ({
        code: v.code,
        name: v.name,
        ruralPopulation: v.rural_population,
        poorPopulation: v.poor,
        incidence: incidence(v.poor, v.rural_population),
        threshold: thresholds.get(`${v.code.slice(0, 2)}:${v.western}`)!,
      })),
      casesInFlight: inFlight.map((c) => ({ kind: c.kind, step: c.step, count: c.n })),
      mine: { open: mineOpen, overdue: mineOverdue },
      totals: {
        openTasks: open[0].n,
        overdueTasks: overdue.filter((o) => !o.revisit).reduce((s, o) => s + o.n, 0),
        overdueRevisits: overdue.filter((o) => o.revisit).reduce((s, o) => s + o.n, 0),
      },
    };
  }
}
