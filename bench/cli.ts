import 'reflect-metadata';
import { type BenchRow, markdownTable } from './table';

/** Entry of the `npm run bench*` scripts (through tools/devkit/bin/bootstrap.sh, which installs what is missing first). */
const BENCHES: Record<string, (args: string[]) => Promise<unknown>> = {
  bench: async (args) => (await import('./all.bench')).benchAll(args),
  'bench-import': async (args) => (await import('./import.bench')).benchImport(args),
  'bench-procedures': async (args) => (await import('./procedures.bench')).benchProcedures(args),
  'bench-scan': async (args) => (await import('./scan.bench')).benchScan(args),
  'bench-reminders': async (args) => (await import('./reminders.bench')).benchReminders(args),
  'bench-follow-ups': async (args) => (await import('./follow-ups.bench')).benchFollowUps(args),
  'bench-campaign': async (args) => (await import('./campaign.bench')).benchCampaign(args),
  'bench-console': async (args) => (await import('./console.bench')).benchConsole(args),
  'bench-pdf-load': async (args) => (await import('./pdf-load.bench')).benchPdfLoad(args),
  'bench-workflow-heap': async (args) => (await import('./workflow-heap.bench')).benchWorkflowHeap(args),
};

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const bench = BENCHES[command];
  if (!bench) throw new Error(`未知基准 ${command}; 可用: ${Object.keys(BENCHES).join(', ')}`);
  const rows = await bench(args);
  // A bench that answers table rows prints them as the README's table does.
  if (Array.isArray(rows) && rows.length > 0 && command !== 'bench')
    process.stdout.write(`\n${markdownTable(rows as BenchRow[])}\n`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`\x1b[31m[精准] ${err instanceof Error ? err.message : String(err)}\x1b[0m\n`);
    if (process.env.JZ_DEBUG) console.error(err);
    process.exit(1);
  },
);
