import { CommonError } from '@jingzhun/contracts';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import { DomainException } from './domain-exception';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface Issue {
  path: string;
  message: string;
}

export function zodIssues(err: ZodError): Issue[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: CommonError.Unauthenticated,
  403: 'FORBIDDEN',
  404: CommonError.NotFound,
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: CommonError.TooManyRequests,
};

/** Maps every error to DESIGN.md's error shape. Bad input is never a 500. */
export function toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof DomainException) {
    return {
      status: exception.status,
      body: { error: { code: exception.code, message: exception.message, details: exception.details } },
    };
  }
  if (exception instanceof ZodValidationException || exception instanceof ZodError) {
    const zodError = exception instanceof ZodError ? exception : (exception.getZodError() as ZodError);
    const issues = zodIssues(zodError);
    return {
      status: 400,
      body: {
        error: {
          code: CommonError.ValidationFailed,
          message: `输入有误: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
          details: { issues },
        },
      },
    };
  }
  const prismaCode = (exception as { code?: unknown; name?: string })?.code;
  if (typeof prismaCode === 'string' && /^P20(02|25|03)$/.test(prismaCode)) {
    const meta = (exception as { meta?: Record<string, unknown> }).meta;
    if (prismaCode === 'P2002')
      return {
        status: 409,
        body: { error: { code: 'DUPLICATE', message: '记录已存在', details: { target: meta?.target } } },
      };
    if (prismaCode === 'P2025')
      return { status: 404, body: { error: { code: CommonError.NotFound, message: '记录不存在' } } };
    if (prismaCode === 'P2003')
      return {
        status: 400,
        body: {
          error: { code: 'REFERENCE_NOT_FOUND', message: '引用的记录不存在', details: { field: meta?.field_name } },
        },
      };
  }
  // P2024/P2028: no connection or transaction could be had in time. Busy, not broken: retry.
  if (prismaCode === 'P2024' || prismaCode === 'P2028') {
    return { status: 503, body: { error: { code: 'BUSY', message: '系统繁忙, 请稍后重试' } } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const raw =
      typeof response === 'string'
        ? response
        : String((response as { message?: unknown }).message ?? exception.message);
    const message = status === 413 ? `上传内容超过大小上限 (${raw})` : raw;
    return { status, body: { error: { code: STATUS_CODES[status] ?? 'ERROR', message } } };
  }
  // body-parser and multer errors carry a 4xx status of their own (bad JSON, too large).
  const status =
    (exception as { status?: unknown; statusCode?: unknown })?.status ??
    (exception as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = status === 400 ? '请求体不是有效的 JSON' : (exception as Error).message;
    return { status, body: { error: { code: STATUS_CODES[status] ?? 'BAD_REQUEST', message } } };
  }
  if (engineUnavailable(exception)) {
    return {
      status: 503,
      body: { error: { code: 'ENGINE_UNAVAILABLE', message: '数据库或流程引擎暂不可用, 请稍后重试' } },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: '服务器内部错误' } } };
}

/** Socket-level and server-going-away codes of PostgreSQL, the pg driver and gRPC (Temporal). */
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database server|Connection refused|server closed the connection|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Timed out fetching a new connection|Client has encountered a connection error/i;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  'P1001',
  'P1002',
  'P1017',
]);

/**
 * Whether the error (or one it wraps) says an engine is down or restarting, not that the request
 * was wrong: the database refusing connections or going away, the pool timing out, Temporal
 * unreachable (gRPC UNAVAILABLE, 14). The caller gets a 503 to retry, not a 500.
 */
export function engineUnavailable(exception: unknown): boolean {
  // Prisma's driver adapter wraps the pg error in meta.driverAdapterError(.cause); pg and gRPC in cause.
  const seen = new Set<unknown>();
  const queue: unknown[] = [exception];
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift() as
      | {
          code?: unknown;
          originalCode?: unknown;
          cause?: unknown;
          meta?: { driverAdapterError?: unknown };
          message?: unknown;
          originalMessage?: unknown;
          kind?: unknown;
        }
      | undefined;
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    for (const code of [e.code, e.originalCode])
      if ((typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || code === GRPC_UNAVAILABLE) return true;
    // A gRPC deadline (Temporal restarting under an update): the request may be retried; an update keeps its id, so it applies once.
    if (e.code === GRPC_DEADLINE_EXCEEDED && 'metadata' in e) return true;
    if (
      typeof e.kind === 'string' &&
      /DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(e.kind)
    )
      return true;
    for (const m of [e.message, e.originalMessage])
      if (typeof m === 'string' && UNAVAILABLE_MESSAGE.test(m)) return true;
    queue.push(e.cause, e.meta?.driverAdapterError);
  }
  return false;
}

/** What an error wraps (code and message of each cause), for the log line of a 500: the next unmapped engine fault names itself. */
function causes(exception: unknown): string {
  const out: string[] = [];
  for (
    let e = (exception as { cause?: unknown })?.cause, n = 0;
    e && n < 5;
    e = (e as { cause?: unknown }).cause, n++
  ) {
    const c = e as { code?: unknown; message?: unknown };
    out.push(`cause: code=${String(c.code)} ${String(c.message ?? '').slice(0, 300)}`);
  }
  return out.length ? `\n${out.join('\n')}` : '';
}

@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly log = new Logger('ErrorResponseFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = toErrorResponse(exception);
    if (status === 503) this.log.warn(exception instanceof Error ? exception.message : String(exception));
    else if (status >= 500)
      this.log.error(
        `${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}${causes(exception)}`,
      );
    if (res.headersSent) return;
    // A refusal for a limit or a busy pool says when to come back (Retry-After).
    const retry = (body.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if ((status === 429 || status === 503) && typeof retry === 'number' && !res.getHeader('Retry-After'))
      res.setHeader('Retry-After', String(retry));
    res.status(status).json(body);
  }
}
