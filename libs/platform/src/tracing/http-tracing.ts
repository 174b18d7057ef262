import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { routeOf } from '../metrics/metrics.service';
import { contextFrom, tracer, tracing } from './tracing';

const UNTRACED = /^\/(health|metrics)(\/|$)/;

/**
 * Express middleware: a server span per request, child of the caller's `traceparent` if it sent
 * one, active while the handler runs (so the Temporal client and the database calls below it join
 * the trace). Named by method and route template once the route is known (`POST /tasks/:id/decision`):
 * never the path itself, which holds ids. Probes and scrapes are not traced.
 */
export function httpTracingMiddleware() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!tracing() || UNTRACED.test(req.path)) return next();
    const parent = contextFrom(req.headers);
    const span = tracer().startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    res.once('finish', () => {
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
