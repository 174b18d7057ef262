import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/devkit/src/paths';
import { machine, markdownTable, type BenchRow } from './table';

type Bench = { name: string; run: (args: string[]) => Promise<BenchRow[]> };

/**
 * `npm run bench [-- --quick]`: every bench in turn, each against its baseline in the same run,
 * then one table (also written to bench/RESULTS.md for the README). `--quick` runs the smaller
 * sizes the issue's "re-run" column uses, for a check in a few minutes instead of the full sizes.
 */
export async function benchAll(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const benches: Bench[] = [
    { name: 'procedures', run: async (a) => (await import('./procedures.bench')).benchProcedures(a) },
    { name: 'import', run: async (a) => (await import('./import.bench')).benchImport(a) },
    { name: 'scan', run: async (a) => (await import('./scan.bench')).benchScan(a) },
    {
      name: 'reminders',
      // #23's bar has two sizes: ≤ 2.5× at 10 000 and ≤ 2× at 2 000.
      run: async (a) => {
        const { benchReminders } = await import('./reminders.bench');
        return [...(await benchReminders(a)), ...(quick ? [] : await benchReminders(['--count', '2000']))];
      },
    },
    { name: 'follow-ups', run: async (a) => (await import('./follow-ups.bench')).benchFollowUps(a) },
    { name: 'campaign', run: async (a) => (await import('./campaign.bench')).benchCampaign(a) },
    { name: 'pdf-load', run: async (a) => (await import('./pdf-load.bench')).benchPdfLoad(a) },
  ];
  const sizes: Record<string, string[]> = quick
    ? {
        procedures: ['--cases', '2000'],
        import: ['--households', '20000'],
        scan: ['--households', '20000'],
        reminders: ['--count', '2000'],
        'follow-ups': ['--households', '10000'],
        campaign: ['--households', '20000'],
      }
    : {};
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const b of benches) {
    process.stdout.write(`\n\x1b[36m[精准 bench]\x1b[0m ${b.name}…\n`);
    try {
      rows.push(...(await b.run(sizes[b.name] ?? [])));
    } catch (err) {
      failed.push(`${b.name}: ${(err as Error).message}`);
    }
  }
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const text = `Measured ${when} UTC on ${machine()}${quick ? ' (--quick sizes)' : ''}.\n\n${markdownTable(rows)}\n${failed.length ? `\nBenches that did not finish: ${failed.join('; ')}\n` : ''}`;
  process.stdout.write(`\n${text}`);
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), `# Bench results\n\n${text}`);
  if (failed.length) process.exitCode = 1;
}
