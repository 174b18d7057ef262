import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Bundles workflows/ once (webpack); workers load the file instead of bundling each time.
 * `workflowsPath` is another entry for the benches (production workflows + their baseline).
 */
export async function buildWorkflowBundle(
  outFile: string,
  workflowsPath = require.resolve('@jingzhun/workflows'),
): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    // Relays the trace context of a decision to the activities it causes (workflows/tracing-interceptors.ts).
    workflowInterceptorModules: [require.resolve('@jingzhun/workflows/tracing-interceptors')],
    logger: {
      info: () => undefined,
      warn: () => undefined,
      error: (m: string) => console.error(m),
      debug: () => undefined,
      trace: () => undefined,
      log: () => undefined,
    },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return outFile;
}
