import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Bundles workflows/ once (webpack); workers load the file instead of bundling each time.
 * `workflowsPath` is another entry for the benches (production workflows + their baseline).
 */
export async function buildWorkflowBundle(outFile: string, workflowsPath = require.resolve('@jingzhun/workflows')): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    // Temporal's OpenTelemetry workflow interceptors, for cases started since (workflows/tracing-interceptors.ts):
    // spans for the workflow, its updates and the activities it schedules, out through the `exporter` sink (worker-host.ts).
    workflowInterceptorModules: [require.resolve('@jingzhun/workflows/tracing-interceptors')],
    logger: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m), debug: () => undefined, trace: () => undefined, log: () => undefined },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return outFile;
}
