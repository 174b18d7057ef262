import { PROCEDURES, Role, STEPS } from '@jingzhun/domain';

const LEVEL_LABELS: Record<string, string> = { village: '村', township: '乡镇', county: '县' };

/**
 * The README's procedure table, written from the procedure catalogue (libs/domain/src/procedures):
 * each procedure's steps in legal order with the level that decides each. The README carries it
 * between markers; `readme.spec.ts` fails when the two differ.
 */
export function procedureTable(): string {
  const rows = Object.values(PROCEDURES)
    .filter((p) => p.steps.length > 0)
    .map((p) => {
      const starters = p.starters.length ? p.starters.map((r) => Role.labels[r as Role]).join(' / ') : '系统 (system)';
      // The announcement is recorded at the approving level: the level of the sign-off before it.
      const levelOf = (i: number): string =>
        p.steps[i].step === 'announcement' && i > 0 ? levelOf(i - 1) : STEPS[p.steps[i].step].level;
      const steps = p.steps.map(({ step }, i) => `${STEPS[step].label} (${LEVEL_LABELS[levelOf(i)]})`).join(' → ');
      return `| ${p.label} | \`${p.kind}\` | ${starters} | ${steps} |`;
    });
  return [
    '| procedure | `kind` | opened by | steps in legal order (the level that decides) |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export const TABLE_BEGIN =
  '<!-- procedure-table: generated from libs/domain/src/procedures; tools/devkit/src/docs/readme.spec.ts checks it -->';
export const TABLE_END = '<!-- /procedure-table -->';
