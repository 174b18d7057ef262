import {
  CallHandler,
  ExecutionContext,
  Injectable,
  InternalServerErrorException,
  Logger,
  NestInterceptor,
  applyDecorators,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';

/** DESIGN.md's error shape, as the exception filter writes it; `details.issues` names each wrong field. */
export const errorBodySchema = z.object({
  error: z.looseObject({
    code: z.string().describe('Machine-readable, e.g. VALIDATION_FAILED, NOT_FOUND, OUTSIDE_JURISDICTION'),
    message: z.string().describe('Chinese, for the user; names the field'),
    details: z.unknown().optional(),
  }),
});

const RESPONSE_SCHEMAS = Symbol('jz:response-schemas');
type Schemas = Record<number, z.ZodType>;

/** A zod schema as an OpenAPI 3.0 schema object (what Nest's document holds). */
export function openApiSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}

/** The schemas a handler declared with @Answers, by status. */
export function declaredAnswers(handler: object): Schemas | undefined {
  return Reflect.getMetadata(RESPONSE_SCHEMAS, handler) as Schemas | undefined;
}

/**
 * Documents a success answer with its schema, and declares it for the response check (tests run
 * every answer through it). A handler may declare several statuses (202 and 200 on POST /alerts).
 */
export function Answers(schema: z.ZodType, status = 200, description = 'OK'): MethodDecorator {
  const record: MethodDecorator = (_target, _key, descriptor) => {
    const value = descriptor.value as object;
    Reflect.defineMetadata(RESPONSE_SCHEMAS, { ...(declaredAnswers(value) ?? {}), [status]: schema }, value);
    return descriptor;
  };
  return applyDecorators(record, ApiResponse({ status, description, schema: openApiSchemaOf(schema) }));
}

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: `error.details.issues` names each field (also a NUL byte or nesting deeper than the limit anywhere in the request)',
  401: 'No valid bearer token, or its user is unknown or deactivated',
  403: "The caller's role or jurisdiction does not allow this",
  404: 'Not found (or not visible to the caller)',
  409: 'Conflicts with the current state (the message says which)',
  413: 'The body or upload is larger than its limit',
  422: 'Understood but not applicable now (the message says why)',
  429: 'Over the rate limit; `Retry-After` says when to try again',
  503: 'An engine (Temporal, the database) is busy or unreachable; retry',
};

/** Documents error answers beyond the ones every route gets (see buildOpenApiDocument). */
export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        schema: { $ref: '#/components/schemas/ErrorBody' },
      }),
    ),
  );
}

/**
 * Checks every answer against the schema its handler declared for that status. `strict` (the tests):
 * a mismatch is a 500 naming the handler and the paths, so a document that lies fails the suite;
 * `log`: the mismatch is logged and the answer goes out.
 */
@Injectable()
export class ResponseContractInterceptor implements NestInterceptor {
  private readonly log = new Logger('ResponseContract');
  constructor(private readonly mode: 'strict' | 'log') {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const schemas = declaredAnswers(context.getHandler());
    if (!schemas || context.getType() !== 'http') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const where = `${context.getClass().name}.${context.getHandler().name}`;
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined || res.headersSent) return body;
        const schema = schemas[res.statusCode];
        if (!schema) {
          this.fail(where, `status ${res.statusCode} is not declared (declared: ${Object.keys(schemas).join(', ')})`);
          return body;
        }
        const result = schema.safeParse(JSON.parse(JSON.stringify(body)));
        if (!result.success)
          this.fail(where, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
        return body;
      }),
    );
  }

  private fail(where: string, what: string): void {
    const message = `answer of ${where} does not match its documented schema: ${what}`;
    // Strict is for tests only: the 500 says what is wrong, so the failing test shows it.
    if (this.mode === 'strict') throw new InternalServerErrorException(message);
    this.log.error(message);
  }
}

/** Documents a file answer (PDF, XLSX) written straight to the response. */
export function AnswersFile(mime: string, description: string): MethodDecorator {
  return ApiResponse({
    status: 200,
    description,
    content: { [mime]: { schema: { type: 'string', format: 'binary' } } },
  });
}
