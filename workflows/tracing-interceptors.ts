/** Not a workflow: the workflow interceptors of the bundle (apps/worker/src/workflow-bundle.ts). */
import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptors, WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** Where Temporal's OpenTelemetry interceptors carry the W3C trace context (client → workflow → activity). */
const TRACE_HEADER = '_tracer-data';

/**
 * Carries the trace of whoever moved a case on to the activities that move makes: the `decide`
 * update's context (put in its headers by the registry's Temporal client) goes to each activity the
 * workflow schedules after it (verifyDecider, then the `advance` that closes the task and writes the
 * next step), so the activity spans, the outbox event, its intake and its delivery are one trace
 * with the HTTP request. The workflow's start does the same for the activities of its first step.
 * The relay ends with the `advance` it was for (a later timer's work is not the decision's).
 *
 * Deliberately not Temporal's workflow interceptors: they change how a workflow yields, which a
 * history recorded without them no longer replays (the replay tests and the worker-restart test
 * showed it). This one adds no await, no command and no span; it copies one header, which
 * replay does not compare. The workflow hop has no span of its own; the Web UI shows that part.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  // One factory call per workflow: this is the workflow's own state.
  let carried: Payload | undefined;
  const take = (headers: Record<string, Payload>) => {
    if (headers[TRACE_HEADER]) carried = headers[TRACE_HEADER];
  };
  return {
    inbound: [
      {
        execute: (input, next) => {
          take(input.headers);
          return next(input);
        },
        handleUpdate: (input, next) => {
          take(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => {
          const trace = carried;
          if (input.activityType === 'advance') carried = undefined;
          return next(
            trace && !input.headers[TRACE_HEADER]
              ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: trace } }
              : input,
          );
        },
      },
    ],
  } satisfies WorkflowInterceptors;
};
