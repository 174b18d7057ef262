import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { ConfigError } from './config/load-config';

/** Parses config or exits naming every bad variable (the process refuses to start). */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

export interface HttpServiceOptions {
  title: string;
  description: string;
  port?: number;
}

/** Creates the Nest app with pino logging, OpenAPI at /docs and graceful shutdown hooks. */
export async function createHttpApp(module: Type<unknown> | ReturnType<typeof Object>, opts: HttpServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module as Type<unknown>, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return configureHttpApp(app, opts);
}

/** OpenAPI document at /docs/openapi.json and Swagger UI at /docs, from the zod DTOs; shutdown hooks. */
export function configureHttpApp(app: INestApplication, opts: Pick<HttpServiceOptions, 'title' | 'description'>): INestApplication {
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle(opts.title)
    .setDescription(opts.description)
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(SwaggerModule.createDocument(app, doc)), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return app;
}
