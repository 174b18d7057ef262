import { Injectable, OnModuleInit } from '@nestjs/common';
import type { MemberMatch, ScanRules } from '@jingzhun/contracts';
import { AlertStore } from './alert.store';
import { RiskRuleStore } from './risk-rule.store';

export interface RuleHit {
  code: string;
  reason: string;
}

/** Rules in force when none are configured (a fresh install); the demo seed writes the same as data. */
export const DEFAULT_RULES = [
  {
    code: 'income_below_line',
    kind: 'income_below_line',
    params: { factor: 1.0 },
    note: '人均纯收入低于当年监测收入线',
  },
  { code: 'basic_needs_unmet', kind: 'basic_needs_unmet', params: {}, note: '两不愁三保障及饮水安全出现问题' },
  {
    code: 'disaster_in_village',
    kind: 'disaster_in_village',
    params: { factor: 1.5, withinDays: 30 },
    note: '村内 30 天内有灾情预警且收入低于监测线 1.5 倍',
  },
  { code: 'medical_share', kind: 'medical_share', params: { share: 0.5 }, note: '医疗自付费用超过家庭年纯收入的 50%' },
  {
    code: 'alert_kind',
    kind: 'alert_kind',
    params: { kinds: ['disability', 'disaster', 'unemployment', 'school_dropout', 'housing_danger'] },
    note: '致贫返贫风险类预警',
  },
] as const;

type Rule = { code: string; kind: string; params: Record<string, unknown> };

/**
 * 风险规则 as policy data with effective dates (table risk_rule): for each code the row in force
 * at a date. Alert rules are evaluated here when an alert arrives; scan rules are handed to the
 * registry, which evaluates them in SQL where the household data lives.
 */
@Injectable()
export class RiskRules implements OnModuleInit {
  constructor(
    private readonly store: RiskRuleStore,
    private readonly alerts: AlertStore,
  ) {}

  /** A fresh install gets the default rules as data (effective 2021-01-01), to be edited like any policy. */
  async onModuleInit(): Promise<void> {
    await this.store.seedDefaults(DEFAULT_RULES, new Date('2021-01-01T00:00:00Z')).catch(() => undefined); // the database may not be up yet; the defaults apply in code meanwhile
  }

  async inForce(at: Date): Promise<Rule[]> {
    const rows = await this.store.inForce(at);
    if (rows.length === 0)
      return DEFAULT_RULES.map((r) => ({ code: r.code, kind: r.kind, params: r.params as Record<string, unknown> }));
    const byCode = new Map<string, Rule>();
    for (const r of rows)
      if (!byCode.has(r.code))
        byCode.set(r.code, { code: r.code, kind: r.kind, params: r.params as Record<string, unknown> });
    return [...byCode.values()];
  }

  async evaluateAlert(
    a: { kind: string; amount: number | null; occurredAt: Date },
    match: MemberMatch | null,
  ): Promise<RuleHit[]> {
    if (!match) return [];
    const hits: RuleHit[] = [];
    for (const r of await this.inForce(a.occurredAt)) {
      if (r.kind === 'medical_share' && a.kind === 'medical_expense' && a.amount !== null) {
        const income = (match.netIncomePerHead ?? 0) * Math.max(1, match.memberCount);
        const share = Number(r.params.share ?? 0.5);
        if (a.amount > share * income)
          hits.push({
            code: r.code,
            reason: `医疗自付 ${a.amount} 元, 超过家庭年纯收入 ${income} 元的 ${Math.round(share * 100)}%`,
          });
      }
      if (r.kind === 'alert_kind' && (r.params.kinds as string[] | undefined)?.includes(a.kind))
        hits.push({ code: r.code, reason: `部门预警: ${a.kind}` });
    }
    return hits;
  }

  async scanRules(at: Date): Promise<ScanRules> {
    const rules = await this.inForce(at);
    const get = (kind: string) => rules.find((r) => r.kind === kind);
    const income = get('income_below_line');
    const disaster = get('disaster_in_village');
    let villages: string[] = [];
    if (disaster) {
      const since = new Date(at.getTime() - Number(disaster.params.withinDays ?? 30) * 86_400_000);
      villages = await this.alerts.disasterVillages(since);
    }
    return {
      incomeBelowLine: income ? { factor: Number(income.params.factor ?? 1) } : null,
      basicNeedsUnmet: !!get('basic_needs_unmet'),
      disasterVillages: disaster ? { villages, factor: Number(disaster.params.factor ?? 1.5) } : null,
    };
  }
}
