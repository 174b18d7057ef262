import { Injectable } from '@nestjs/common';
import { MIN_NOTICE_DAYS } from '@jingzhun/domain';
import type { ProcedureKind, ProcedurePolicy } from '@jingzhun/contracts';
import type { Prisma } from '../generated/prisma/client';
import type { Tx } from '../prisma/prisma.service';
import { PolicyStore } from './policy.store';

const NOTICE_KEY: Record<ProcedureKind, keyof typeof MIN_NOTICE_DAYS> = {
  identification: 'identification',
  exit: 'exit',
  return: 'return',
  member_change: 'memberChange',
  village_exit: 'villageExit',
  monitoring_inclusion: 'monitoring',
  risk_elimination: 'riskElimination',
  removal: 'removal',
  follow_up: 'memberChange', // posts no notice
  annual_adjustment: 'memberChange', // posts no notice
};

/** Defaults when no policy row is in force (a fresh install before the seed). */
const DEFAULTS = {
  noticeDays: {
    identification: 7,
    exit: 7,
    return: 7,
    villageExit: 7,
    memberChange: 0,
    monitoring: 5,
    riskElimination: 7,
    removal: 7,
  },
  signOffDays: { village: 7, township: 7, county: 10, reminderBeforeDays: 2, escalationGraceDays: 3 },
  villageExitIncidence: { max: 0.02 },
  revisitCadence: { exited: 'P3M', monitored: 'P1M', reminderBeforeDays: 7, escalationGraceDays: 7 },
  monitoringDecisionDays: 15,
  // 过渡期: 2021 中央一号文件 sets five years from the end of 脱贫攻坚 (2021–2025) for every exited household.
  transitionPeriod: { from: '2021-01-01', until: '2025-12-31' },
  lateCaseMonths: 3,
  assessmentBackdateDays: 31,
};

export interface RevisitPolicy {
  cadence: string;
  reminderBeforeDays: number;
  escalationGraceDays: number;
}

/**
 * Policy data with effective dates: for a key, the row in force at `at` whose scope is the
 * longest prefix of the region code ('' applies everywhere).
 */
@Injectable()
export class PolicyService {
  constructor(private readonly store: PolicyStore) {}

  async value<T extends Prisma.JsonValue>(
    key: string,
    regionCode: string,
    at: Date,
    db?: Pick<Tx, 'policy'>,
  ): Promise<T | null> {
    const rows = await this.store.inForce(key, at, db);
    const fitting = rows.filter((r) => regionCode.startsWith(r.scope));
    fitting.sort((a, b) => b.scope.length - a.scope.length || b.effectiveFrom.getTime() - a.effectiveFrom.getTime());
    return (fitting[0]?.value as T) ?? null;
  }

  async procedurePolicy(kind: ProcedureKind, regionCode: string, at: Date): Promise<ProcedurePolicy> {
    const notice = (await this.value<Record<string, number>>('noticeDays', regionCode, at)) ?? DEFAULTS.noticeDays;
    const signOff = (await this.value<Record<string, number>>('signOffDays', regionCode, at)) ?? DEFAULTS.signOffDays;
    const key = NOTICE_KEY[kind];
    // Nothing shortens a notice: the legal minimum wins over a smaller policy value.
    const noticeDays = Math.max(Number(notice[key] ?? DEFAULTS.noticeDays[key]), MIN_NOTICE_DAYS[key]);
    return {
      noticeDays,
      signOffDays: {
        village: Number(signOff.village ?? DEFAULTS.signOffDays.village),
        township: Number(signOff.township ?? DEFAULTS.signOffDays.township),
        county: Number(signOff.county ?? DEFAULTS.signOffDays.county),
      },
      reminderBeforeDays: Number(signOff.reminderBeforeDays ?? DEFAULTS.signOffDays.reminderBeforeDays),
      escalationGraceDays: Number(signOff.escalationGraceDays ?? DEFAULTS.signOffDays.escalationGraceDays),
      ...(kind === 'monitoring_inclusion'
        ? {
            decisionDays: Number(
              (await this.value<{ days: number }>('monitoringDecisionDays', regionCode, at))?.days ??
                DEFAULTS.monitoringDecisionDays,
            ),
          }
        : {}),
    };
  }

  /** 回访 cadence (ISO duration: quarterly for exited, monthly for monitored) and its reminder/escalation days. */
  async revisitPolicy(basis: 'exited' | 'monitored', regionCode: string, at: Date): Promise<RevisitPolicy> {
    const v =
      (await this.value<Record<string, string | number>>('revisitCadence', regionCode, at)) ?? DEFAULTS.revisitCadence;
    return {
      cadence: String(v[basis] ?? DEFAULTS.revisitCadence[basis]),
      reminderBeforeDays: Number(v.reminderBeforeDays ?? DEFAULTS.revisitCadence.reminderBeforeDays),
      escalationGraceDays: Number(v.escalationGraceDays ?? DEFAULTS.revisitCadence.escalationGraceDays),
    };
  }

  /**
   * 过渡期 (transition window) in force at `at` for the region: policy `transitionPeriod` { from, until }
   * (dates, China Standard Time) with effective dates, the national window (2021–2025) and any
   * province's extension (a row scoped to the province). Every exited household is followed up
   * while the window is open (RULES.md row 5: "updated during the transition period"), not for
   * five years from its own exit. `endsAt` is the first instant after the window's last day.
   */
  async transitionWindow(
    regionCode: string,
    at: Date,
  ): Promise<{ from: string; until: string; startsAt: Date; endsAt: Date }> {
    const v =
      (await this.value<{ from: string; until: string }>('transitionPeriod', regionCode, at)) ??
      DEFAULTS.transitionPeriod;
    const day = (d: string) =>
      Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) - 8 * 3_600_000;
    return {
      from: v.from,
      until: v.until,
      startsAt: new Date(day(v.from)),
      endsAt: new Date(day(v.until) + 86_400_000),
    };
  }

  /** Whether the transition window is open at `at` (exited households are followed up). */
  async inTransition(regionCode: string, at: Date): Promise<boolean> {
    const w = await this.transitionWindow(regionCode, at);
    return w.startsAt <= at && at < w.endsAt;
  }

  /** Months at the start of a year in which last year's late cases may still be opened (policy `lateCaseMonths`: the first quarter). */
  async lateCaseWindow(regionCode: string, at: Date): Promise<{ lateMonths: number }> {
    const v = await this.value<{ months: number }>('lateCaseMonths', regionCode, at);
    return { lateMonths: Number(v?.months ?? DEFAULTS.lateCaseMonths) };
  }

  /** How many days back an assessment may be recorded (policy `assessmentBackdateDays`: a month). */
  async assessmentBackdateDays(regionCode: string, at: Date): Promise<number> {
    const v = await this.value<{ days: number }>('assessmentBackdateDays', regionCode, at);
    return Number(v?.days ?? DEFAULTS.assessmentBackdateDays);
  }

  /**
   * 防返贫监测收入线 (RULES.md row 8a: set by each province every year): the row of the region's
   * province for the year, else the national row (scope ''); null when neither exists, which callers
   * refuse naming the year, never read as 0.
   */
  async monitoringLine(year: number, regionCode: string): Promise<number | null> {
    const v = await this.value<{ yuan: number }>('monitoringLine', regionCode, new Date(Date.UTC(year, 11, 31)));
    return v?.yuan ?? null;
  }

  async povertyLine(year: number, regionCode: string): Promise<number | null> {
    const v = await this.value<{ yuan: number }>('povertyLine', regionCode, new Date(Date.UTC(year, 11, 31)));
    return v?.yuan ?? null;
  }

  async villageExitThreshold(regionCode: string, western: boolean, at: Date): Promise<number> {
    const v = await this.value<{ max: number }>('villageExitIncidence', regionCode, at);
    return v?.max ?? (western ? 0.03 : DEFAULTS.villageExitIncidence.max);
  }
}
