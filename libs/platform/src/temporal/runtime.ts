import { Logger } from '@nestjs/common';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { scrub } from '../logging/redaction';

let installed = false;

/**
 * The Temporal SDK's own log lines (worker state, activity failures with their messages) go
 * through the service's logger, so they are scrubbed like every other line; with `metricsBind`, the
 * SDK serves its worker metrics in Prometheus format there. Installed once per
 * process, before the first worker; where a runtime already exists (a test harness made one) the
 * SDK keeps its own.
 */
export function installTemporalRuntime(metricsBind?: string): void {
  if (installed) return;
  installed = true;
  const log = new Logger('Temporal');
  const write = (entry: LogEntry) => {
    const meta = entry.meta && Object.keys(entry.meta).length ? ` ${JSON.stringify(entry.meta)}` : '';
    const text = scrub(`${entry.message}${meta}`);
    if (entry.level === 'ERROR') log.error(text);
    else if (entry.level === 'WARN') log.warn(text);
    else if (entry.level === 'INFO') log.log(text);
    else log.debug(text);
  };
  try {
    Runtime.install({
      logger: new DefaultLogger('INFO', write),
      // The SDK's worker metrics (task slots, poll and schedule latencies, sticky cache), served by the SDK itself.
      ...(metricsBind ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBind } } } } : {}),
    });
  } catch {
    // A runtime was already created in this process (tests): its logger stays.
  }
}
