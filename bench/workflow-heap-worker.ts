import { NativeConnection, Worker } from '@temporalio/worker';

/**
 * The child process of `bench:workflow-heap`: a workflow worker alone, as deployed (apps/worker runs
 * no activities), on the bundle it is given. On 'measure' it collects garbage and answers its heap
 * and RSS, so the parent reads what the cached workflows cost this process.
 */
async function main() {
  const [address, bundle, taskQueue] = process.argv.slice(2);
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath: bundle },
    maxCachedWorkflows: 20_000,
    maxConcurrentWorkflowTaskExecutions: 100,
  });
  process.on('message', (m: unknown) => {
    if (m === 'measure') {
      (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      process.send!({ heapUsed, rss });
    } else if (m === 'stop') worker.shutdown();
  });
  process.send!('ready');
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
