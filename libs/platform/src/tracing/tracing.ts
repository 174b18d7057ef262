import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces. Off unless an OTLP endpoint is configured (the standard variables
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT; OTEL_SDK_DISABLED=true turns
 * it off again); then spans are batched to that endpoint over OTLP/HTTP. One trace follows a
 * decision: the HTTP request (server span), the Temporal update (Temporal's client interceptor puts
 * the context in its headers), the activities it causes (the workflow relays the header:
 * workflows/tracing-interceptors.ts), the outbox row, the NATS message (`traceparent` header) and
 * the consumer's handling, down to each delivery.
 * Span names and attributes hold route templates, kinds and subjects: never an ID number, a name
 * or a household number.
 */
export interface Tracing {
  resource: Resource;
  processor: SpanProcessor;
  shutdown(): Promise<void>;
}

let current: Tracing | null = null;

export function otlpEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}

/**
 * Starts tracing for this process (once; later calls return the first). `exporter` is for the
 * tests (an in-memory exporter, spans handed over as they end); without it the OTLP endpoint decides.
 * Call it before the service starts, so the first request is traced.
 */
export function startTracing(
  service: string,
  opts: { exporter?: SpanExporter; env?: NodeJS.ProcessEnv } = {},
): Tracing | null {
  if (current) return current;
  const env = opts.env ?? process.env;
  if (!opts.exporter && !otlpEndpoint(env)) return null;
  const resource = resourceFromAttributes({
    'service.name': env.OTEL_SERVICE_NAME || `jingzhun-${service}`,
    'service.namespace': 'jingzhun',
  });
  const processor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  current = {
    resource,
    processor,
    shutdown: async () => {
      await provider.shutdown();
      current = null;
    },
  };
  return current;
}

export function tracing(): Tracing | null {
  return current;
}

export function tracer(): Tracer {
  return trace.getTracer('jingzhun');
}

/** The W3C trace-context headers: what an outbox row, a delivery row and a NATS message carry. */
export const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/**
 * What a row keeps of the active trace (the `trace_context` column of outbox and delivery): its
 * trace-context headers as JSON, or null when nothing is traced.
 */
export function outboxTraceContext(): string | null {
  if (!current || !trace.getSpan(context.active())?.spanContext().traceFlags) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? JSON.stringify(carrier) : null;
}

/** A row's stored trace context back as headers (only the trace-context ones; none when unreadable: a trace never stops the work). */
export function storedTraceHeaders(stored: string | null): Record<string, string> {
  if (!stored) return {};
  try {
    const parsed = JSON.parse(stored) as Record<string, unknown>;
    return Object.fromEntries(TRACE_HEADERS.flatMap((k) => (typeof parsed[k] === 'string' ? [[k, parsed[k]]] : [])));
  } catch {
    return {};
  }
}

/** The context carried by headers (an HTTP request's, a NATS message's, a row's). */
export function contextFrom(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/**
 * Runs `fn` in a span, child of the headers `parent` gives (default the active context); the span
 * ends with it and records a failure. `parent` is only called when tracing is on: the hot paths
 * (each message, each delivery) read no headers while it is off.
 */
export async function inSpan<T>(
  name: string,
  opts: {
    kind?: SpanKind;
    attributes?: Record<string, string | number | boolean>;
    parent?: () => Record<string, string>;
  },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!current) return fn(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  const parent = opts.parent ? contextFrom(opts.parent()) : context.active();
  const span = tracer().startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message?.slice(0, 200) });
    throw err;
  } finally {
    span.end();
  }
}

/** Flushes the spans still batched when the service stops (SIGTERM: Nest's shutdown hooks). */
@Injectable()
export class TracingLifecycle implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await current?.processor.forceFlush().catch(() => undefined);
  }
}
