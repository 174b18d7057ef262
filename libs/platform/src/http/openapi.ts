import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { ERROR_DESCRIPTIONS, errorBodySchema, openApiSchemaOf } from './api-responses';

type Parameter = { name: string; in: string; required?: boolean };
type Operation = {
  parameters?: Parameter[];
  security?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

/**
 * The error answers every operation can give, whatever its handler: 400 (the global input limits:
 * a NUL byte, nesting too deep, and the handler's own validation) and 503 (an engine down or
 * restarting: retry); with a bearer token 401, 403 (the role and jurisdiction guards) and 429 (the
 * per-person rate limits); with a path parameter 404; with a body 413. A handler documents more with @ApiErrors (the sign-in's own 429, say).
 */
function defaultErrors(path: string, op: Operation): number[] {
  const codes = [400, 503];
  if (op.security?.length) codes.push(401, 403, 429);
  if (path.includes('{')) codes.push(404);
  if (op.requestBody) codes.push(413);
  return codes;
}

/**
 * A service's OpenAPI document as it serves it at /docs/openapi.json (and as the console's client
 * and the checks read it): nestjs-zod's schemas, then the parameters Nest infers from handler
 * arguments put right: the bearer token is the security scheme, not an `authorization` header
 * parameter; a header read by the handler and described with @ApiHeader is listed once, as described.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  api: { title: string; description: string },
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(api.title)
    .setDescription(api.description)
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const doc = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, ErrorBody: openApiSchemaOf(errorBodySchema) },
  };
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of Object.values(item) as Operation[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      // Nest adds a bare default (201 for POST) beside the answers a handler declared; keep the declared ones.
      const declared = Object.entries(op.responses).filter(([code, r]) => code.startsWith('2') && r.content);
      if (declared.length)
        for (const [code, r] of Object.entries(op.responses))
          if (code.startsWith('2') && !r.content && !r.description) delete op.responses[code];
      for (const code of defaultErrors(path, op))
        op.responses[String(code)] ??= { description: ERROR_DESCRIPTIONS[code], content: errorContent };
      if (!Array.isArray(op.parameters)) continue;
      const seen = new Map<string, Parameter>();
      for (const p of op.parameters) {
        if (p.in === 'header' && p.name.toLowerCase() === 'authorization') continue;
        const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
        const prior = seen.get(key);
        // Of two, keep the one a decorator described (it says required: false where that is true).
        if (!prior || (prior.required && !p.required)) seen.set(key, p);
      }
      op.parameters = [...seen.values()];
    }
  }
  return doc;
}
