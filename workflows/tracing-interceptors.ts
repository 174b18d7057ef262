/** Not a workflow: the workflow interceptors of the bundle (apps/worker/src/workflow-bundle.ts). */
import { patched, type WorkflowInterceptors, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { interceptors as openTelemetry } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';

type AnyInterceptor = Record<string, ((input: unknown, next: (input: unknown) => unknown) => unknown) | undefined>;

/**
 * Temporal's OpenTelemetry interceptors, for the cases started since they were added.
 *
 * They change how a workflow yields (Temporal guards that with SDK flags only for histories that
 * ran them from the start), so a history recorded without them would no longer replay. The choice
 * is made once per workflow, when it starts: `patched('otel-tracing')` is true for a new case
 * (its history then has the marker) and false when an older history is replayed. A case without
 * the marker keeps running untraced (the HTTP request and the activities are still traced on
 * their own) until it ends; the replay tests hold the recorded histories to this.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const inner = openTelemetry();
  let traced = false;
  const gate = (target: AnyInterceptor, decides = false): AnyInterceptor =>
    new Proxy(target, {
      get(t, name: string) {
        const method = t[name];
        if (typeof method !== 'function') return method;
        return (input: unknown, next: (input: unknown) => unknown) => {
          if (decides && name === 'execute') traced = patched('otel-tracing');
          return traced ? method.call(t, input, next) : next(input);
        };
      },
    });
  return {
    inbound: (inner.inbound ?? []).map((i) => gate(i as unknown as AnyInterceptor, true)),
    outbound: (inner.outbound ?? []).map((i) => gate(i as unknown as AnyInterceptor)),
    internals: (inner.internals ?? []).map((i) => gate(i as unknown as AnyInterceptor)),
  } as WorkflowInterceptors;
};
