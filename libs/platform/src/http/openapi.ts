import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

type Parameter = { name: string; in: string; required?: boolean };

/**
 * A service's OpenAPI document as it serves it at /docs/openapi.json (and as the console's client
 * and the checks read it): nestjs-zod's schemas, then the parameters Nest infers from handler
 * arguments put right: the bearer token is the security scheme, not an `authorization` header
 * parameter; a header read by the handler and described with @ApiHeader is listed once, as described.
 */
export function buildOpenApiDocument(app: INestApplication, api: { title: string; description: string }): OpenAPIObject {
  const config = new DocumentBuilder().setTitle(api.title).setDescription(api.description).setVersion('0.1.0').addBearerAuth().build();
  const doc = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as { parameters?: Parameter[] }[]) {
      if (!op || !Array.isArray(op.parameters)) continue;
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
