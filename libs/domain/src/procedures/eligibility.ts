import { cstDate, cstMonth, cstYear } from '../china-time';
import { netIncomePerHead, unmetBasicNeeds, type BasicNeeds, type IncomeParts } from '../income';

/**
 * Eligibility rules over a household's live facts, checked by the engine where the law checks them:
 * when a case starts, when its verification visit is decided, and again at the announcement (facts
 * can change during a notice). Each returns every unmet condition in Chinese, with the figure and
 * the line; empty means the procedure may go on. Pure: the registry gathers the facts.
 */

/** An assessment's incomes and needs; `people` is replaced by the members living in the household now. */
export type AssessedIncome = Omit<IncomeParts, 'people'> & { needs: BasicNeeds };

const NEED_LABELS: Record<keyof BasicNeeds, string> = {
  food: '不愁吃',
  clothing: '不愁穿',
  education: '义务教育有保障',
  medical: '基本医疗有保障',
  housing: '住房安全有保障',
  water: '饮水安全有保障',
};

/**
 * 年人均纯收入 from the members living in the household now (RULES.md row 8b: ÷ 常住人口), never a
 * figure stored before a birth, a death or a departure changed the household.
 */
export function perHeadNow(a: Omit<IncomeParts, 'people'>, residents: number): number | null {
  return residents > 0 ? netIncomePerHead({ ...a, people: residents }) : null;
}

export interface StandingFacts {
  year: number;
  /** The year's assessment (or the one the verification visit just recorded); null when none. */
  assessment: AssessedIncome | null;
  residents: number;
  /** The year's poverty line (policy data); null when none is set. */
  povertyLine: number | null;
}

/** One condition the law sets, as the engine found it on the household's facts: shown as a pass/fail list beside the decision. */
export interface EligibilityCheck {
  label: string;
  ok: boolean;
  /** The figure and the line, in Chinese; when it fails, the refusal's own words. */
  detail: string;
}

/** The conditions that fail, in the refusal's words: each `*Obstacles` list is read off its checks. */
export function unmet(checks: readonly EligibilityCheck[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => c.detail);
}

const STATUS_NAMES: Record<string, string> = {
  APPLICANT: '一般农户 (申请中)',
  POOR: '未脱贫',
  EXITED: '已脱贫',
  MONITORED: '监测对象',
  CLOSED: '已销户',
  REMOVED: '已清退',
};

function statusCheck(status: string, wanted: string, refusal: string): EligibilityCheck {
  return {
    label: '户状态',
    ok: status === wanted,
    detail: status === wanted ? `户状态为 ${STATUS_NAMES[status] ?? status}` : refusal,
  };
}

function figure(f: StandingFacts, perHead: number | null): string {
  return `年人均纯收入 ${perHead ?? '—'} 元 (${f.residents} 名常住成员), ${f.year} 年贫困标准 ${f.povertyLine} 元`;
}

/** The year's line and assessment, each a check of its own (a decision cannot be checked without them). */
function dataChecks(f: StandingFacts): EligibilityCheck[] {
  return [
    {
      label: '贫困标准',
      ok: f.povertyLine !== null,
      detail:
        f.povertyLine === null
          ? `没有 ${f.year} 年的贫困标准 (政策数据 povertyLine)`
          : `${f.year} 年贫困标准 ${f.povertyLine} 元`,
    },
    {
      label: '当年核实',
      ok: f.assessment !== null,
      detail: f.assessment === null ? MISSING_ASSESSMENT(f.year) : `有 ${f.year} 年的收入与两不愁三保障核实记录`,
    },
  ];
}

const MISSING_ASSESSMENT = (year: number) => `没有 ${year} 年的收入与两不愁三保障核实记录`;

/**
 * Below the standard (识别 / 返贫): income per head at or under the line, or a basic need unmet; one
 * check, failed with `refusal` after the figure. Null when the facts to tell it are missing.
 */
function belowStandardCheck(f: StandingFacts, refusal: string): EligibilityCheck | null {
  if (!f.assessment || f.povertyLine === null) return null;
  const perHead = perHeadNow(f.assessment, f.residents);
  const unmetNeeds = unmetBasicNeeds(f.assessment.needs).map((n) => NEED_LABELS[n]);
  const low = perHead !== null && perHead <= f.povertyLine;
  const why = unmetNeeds.length > 0 ? `${figure(f, perHead)}; 未保障: ${unmetNeeds.join('、')}` : figure(f, perHead);
  const below = low || unmetNeeds.length > 0;
  return { label: '收入或两不愁三保障低于标准', ok: below, detail: below ? why : `${why}: ${refusal}` };
}

/** 识别纳入 (RULES.md row 1): an applicant below the year's line or with a basic need unmet. */
export function identificationChecks(f: StandingFacts & { status: string }): EligibilityCheck[] {
  const below = belowStandardCheck(f, '收入高于标准且两不愁三保障及饮水安全均有保障, 不符合识别条件');
  return [
    statusCheck(f.status, 'APPLICANT', `户状态为 ${f.status}, 只有申请中的户可以识别纳入`),
    ...(below ? [below] : dataChecks(f)),
  ];
}

/**
 * 识别纳入 (RULES.md row 1; the source's 实事求是、识别真贫): only a household below the year's line
 * or with a 两不愁三保障 / safe-water need unmet. When the case starts the visit may not have been made:
 * `requireAssessment: false` lets a case without the year's assessment start, never one whose
 * assessment shows it above the standard.
 */
export function identificationObstacles(
  f: StandingFacts & { status: string },
  { requireAssessment }: { requireAssessment: boolean },
): string[] {
  if (f.status !== 'APPLICANT') return [`户状态为 ${f.status}, 只有申请中的户可以识别纳入`];
  const failing = unmet(identificationChecks(f));
  return requireAssessment || f.povertyLine === null
    ? failing
    : failing.filter((d) => d !== MISSING_ASSESSMENT(f.year));
}

/** 返贫 (RULES.md row 6): an exited household whose assessment of the current year is below the standard. */
export function returnChecks(f: StandingFacts & { status: string }): EligibilityCheck[] {
  const below = belowStandardCheck(f, '未低于标准, 不符合返贫条件');
  return [
    statusCheck(f.status, 'EXITED', `户状态为 ${f.status}, 只有已脱贫户可以返贫`),
    ...(below ? [below] : dataChecks(f)),
  ];
}

/** 返贫 (RULES.md row 6): an EXITED household whose assessment of the current year is below the standard. */
export function returnObstacles(f: StandingFacts & { status: string }): string[] {
  if (f.status !== 'EXITED') return [`户状态为 ${f.status}, 只有已脱贫户可以返贫`];
  return unmet(returnChecks(f));
}

/**
 * 脱贫退出 (RULES.md row 2): a POOR household not newly identified or returned this year, whose income
 * per head (from the members living there now) is above the year's line and whose needs are all met.
 */
export function exitChecks(
  f: StandingFacts & { status: string; identifiedYear: number | null; returnedYear: number | null },
): EligibilityCheck[] {
  const out: EligibilityCheck[] = [statusCheck(f.status, 'POOR', `户状态为 ${f.status}, 只有未脱贫户可以退出`)];
  // RULES.md row 2: newly identified or returned households "原则上不能退出" that year.
  const fresh = f.identifiedYear === f.year;
  out.push({
    label: '非当年新识别',
    ok: !fresh,
    detail: fresh ? `${f.year} 年新识别的户当年不能退出` : `识别年度 ${f.identifiedYear ?? '—'}`,
  });
  if (f.returnedYear === f.year)
    out.push({ label: '非当年返贫', ok: false, detail: `${f.year} 年返贫的户当年不能退出` });
  if (!f.assessment || f.povertyLine === null) return [...out, ...dataChecks(f).filter((c) => !c.ok)];
  const perHead = perHeadNow(f.assessment, f.residents);
  const above = perHead !== null && perHead > f.povertyLine;
  const income = `年人均纯收入 ${perHead ?? '—'} 元 (${f.residents} 名常住成员)`;
  out.push({
    label: '年人均纯收入超过贫困标准',
    ok: above,
    detail: above
      ? `${income} 超过 ${f.year} 年贫困标准 ${f.povertyLine} 元`
      : `${income} 未超过 ${f.year} 年贫困标准 ${f.povertyLine} 元`,
  });
  const unmetNeeds = unmetBasicNeeds(f.assessment.needs).map((n) => NEED_LABELS[n]);
  out.push({
    label: '两不愁三保障及饮水安全',
    ok: unmetNeeds.length === 0,
    detail: unmetNeeds.length === 0 ? '全部达标' : `两不愁三保障及饮水安全未全部达标: ${unmetNeeds.join('、')}`,
  });
  return out;
}

export function exitEligibility(
  f: StandingFacts & { status: string; identifiedYear: number | null; returnedYear: number | null },
): string[] {
  return unmet(exitChecks(f));
}

/**
 * 监测类型 must fit the household (RULES.md rows 4 and 6): 脱贫不稳定户 only for an exited household;
 * 边缘易致贫户 only for a household never registered as poor; 突发严重困难户 for either.
 */
export function monitoringTypeObstacles(status: string, type: string | null | undefined): string[] {
  if (!type) return [];
  if (type === 'UNSTABLE_EXITED' && status !== 'EXITED') return [`户状态为 ${status}: 脱贫不稳定户只适用于已脱贫户`];
  if (type === 'MARGINAL' && status !== 'APPLICANT')
    return [`户状态为 ${status}: 边缘易致贫户只适用于未享受过脱贫政策的一般农户`];
  if (type === 'SUDDEN_HARDSHIP' && status !== 'APPLICANT' && status !== 'EXITED')
    return [`户状态为 ${status}: 突发严重困难户只适用于一般农户或已脱贫户`];
  return [];
}

/**
 * 边缘易致贫户 (RULES.md row 4: income below about 1.5× the poverty line, since 2021 the province's
 * monitoring line): a household whose income per head now is above the year's monitoring line is not
 * marginal. Other types are decided on their risk (a sudden hardship, an unstable exit), not this line.
 */
export function marginalIncomeObstacles(
  type: string | null | undefined,
  year: number,
  perHead: number | null,
  monitoringLine: number | null,
): string[] {
  if (type !== 'MARGINAL' || perHead === null) return [];
  if (monitoringLine === null) return [`没有 ${year} 年的防返贫监测收入线 (政策数据 monitoringLine)`];
  return perHead > monitoringLine
    ? [`年人均纯收入 ${perHead} 元高于 ${year} 年监测收入线 ${monitoringLine} 元: 不属于边缘易致贫户`]
    : [];
}

export interface YearWindow {
  /** Months at the start of a year in which last year's late cases may still be opened (policy). */
  lateMonths: number;
}

/**
 * A case's year (DESIGN.md "Years and dates"): the current year in China Standard Time; last year
 * only inside the policy's window at the start of the year; never in the future, never before the
 * household was identified.
 */
export function caseYearObstacles(
  year: number,
  now: Date,
  window: YearWindow,
  identifiedYear: number | null = null,
): string[] {
  const current = cstYear(now);
  const out: string[] = [];
  if (year > current) out.push(`年度 ${year} 在将来: 只能办理 ${current} 年的案件`);
  else if (year === current - 1 && cstMonth(now) > window.lateMonths)
    out.push(`${year} 年的案件只能在 ${current} 年前 ${window.lateMonths} 个月内补办`);
  else if (year < current - 1) out.push(`年度 ${year} 已过: 只能办理 ${current} 年的案件`);
  if (identifiedYear !== null && year < identifiedYear) out.push(`年度 ${year} 早于该户识别年度 ${identifiedYear}`);
  return out;
}

/**
 * An assessment is dated when the visit was made, in China Standard Time: never ahead, never
 * back-dated beyond the policy's window (it would make income look stable for months it did not
 * cover: RULES.md row 5), and for its own year (or the year before, recorded early in the next).
 */
export function assessmentDateIssue(
  a: { year: number; assessedOn: string },
  backdateDays: number,
  now = new Date(),
): { path: string; message: string } | null {
  const today = cstDate(now);
  const earliest = cstDate(new Date(now.getTime() - backdateDays * 86_400_000));
  if (a.assessedOn > today) return { path: 'assessedOn', message: `核实日期 ${a.assessedOn} 在将来 (今天是 ${today})` };
  if (a.assessedOn < earliest)
    return {
      path: 'assessedOn',
      message: `核实日期 ${a.assessedOn} 早于补录期限 ${earliest} (政策: 最多补录 ${backdateDays} 天前的核实)`,
    };
  const year = Number(a.assessedOn.slice(0, 4));
  if (a.year > year || a.year < year - 1)
    return {
      path: 'year',
      message: `核实年度 ${a.year} 与核实日期 ${a.assessedOn} 不符 (应为 ${year} 或 ${year - 1} 年度)`,
    };
  return null;
}
