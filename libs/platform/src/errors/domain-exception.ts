import { CommonError, type ErrorCode } from '@jingzhun/contracts';

/**
 * A coded error the API maps to DESIGN.md's shape `{ error: { code, message, details? } }`.
 * Services throw these; only the exception filter knows about HTTP.
 */
export class DomainException extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainException';
  }
}

export const notFound = (what: string, id: string) =>
  new DomainException(404, CommonError.NotFound, `${what}不存在: ${id}`);
export const conflict = (code: ErrorCode, message: string, details?: unknown) =>
  new DomainException(409, code, message, details);
export const forbidden = (code: ErrorCode, message: string) => new DomainException(403, code, message);
export const invalid = (path: string, message: string) =>
  new DomainException(400, CommonError.ValidationFailed, `${path}: ${message}`, { issues: [{ path, message }] });

/**
 * An `:id` path parameter that is not a UUID names nothing: 404 in Chinese (Nest's own pipe answers
 * "Validation failed (uuid is expected)"). Use as `@Param('id', uuidParam)`.
 */
export function uuidParamPipe(what = '记录'): import('@nestjs/common').PipeTransform<string, string> {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return {
    transform(value: string) {
      if (typeof value !== 'string' || !UUID.test(value))
        throw notFound(what, `${String(value).slice(0, 40)} (编号格式不正确)`);
      return value;
    },
  };
}
