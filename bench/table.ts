import { cpus, totalmem } from 'node:os';

/** One line of the bench table: our figure beside its baseline, measured in the same run. */
export interface BenchRow {
  workload: string;
  ours: string;
  baseline: string;
  /** ours / baseline in the direction the bar is stated (a time ratio, or a throughput ratio). */
  ratio: number;
  /** The bar, as the issue states it, e.g. "≤ 2×" or "≥ 0.7". */
  bar: string;
  met: boolean;
}

export const row = (
  workload: string,
  ours: string,
  baseline: string,
  ratio: number,
  bar: { atMost?: number; atLeast?: number; text?: string },
): BenchRow => ({
  workload,
  ours,
  baseline,
  ratio,
  bar: bar.text ?? (bar.atMost !== undefined ? `≤ ${bar.atMost}×` : `≥ ${bar.atLeast}`),
  met: bar.atMost !== undefined ? ratio <= bar.atMost : ratio >= (bar.atLeast ?? 0),
});

export function machine(): string {
  return `${cpus().length} 核 ${cpus()[0]?.model.trim() ?? ''}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| workload | ours | baseline | ratio | bar | met |', '|---|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${r.workload} | ${r.ours} | ${r.baseline} | ${r.ratio.toFixed(2)} | ${r.bar} | ${r.met ? 'yes' : '**no**'} |`,
    );
  return lines.join('\n');
}
