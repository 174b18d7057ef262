import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import helmet from 'helmet';
import type { BaseConfig } from './config/config.schema';
import { ConfigError } from './config/load-config';
import { ResponseContractInterceptor } from './http/api-responses';
import { buildOpenApiDocument } from './http/openapi';
import { MetricsService } from './metrics/metrics.service';
import { httpTracingMiddleware } from './tracing/http-tracing';
import { CONFIG } from './tokens';

/** Parses config or exits naming every bad variable (the process refuses to start). */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
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
export async function createHttpApp(
  module: Type<unknown> | ReturnType<typeof Object>,
  opts: HttpServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module as Type<unknown>, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return configureHttpApp(app, opts);
}

/** The app's metrics, when it stands on PlatformModule. */
function metricsOf(app: INestApplication): MetricsService | null {
  try {
    return app.get(MetricsService, { strict: false });
  } catch {
    return null;
  }
}

/** Whether /docs serves the OpenAPI document and Swagger UI: `API_DOCS` when set, else everywhere but production. */
export function docsEnabled(config: Pick<BaseConfig, 'API_DOCS' | 'NODE_ENV'>): boolean {
  return config.API_DOCS ?? config.NODE_ENV !== 'production';
}

/**
 * Security headers (helmet; no X-Powered-By), the OpenAPI document at /docs/openapi.json and
 * Swagger UI at /docs where enabled, shutdown hooks.
 */
export function configureHttpApp(
  app: INestApplication,
  opts: Pick<HttpServiceOptions, 'title' | 'description'>,
): INestApplication {
  app.enableShutdownHooks();
  const express = app.getHttpAdapter().getInstance() as {
    disable?: (setting: string) => void;
    set?: (setting: string, value: unknown) => void;
  };
  express.disable?.('x-powered-by');
  const trustProxy = app.get<BaseConfig>(CONFIG, { strict: false }).TRUST_PROXY;
  express.set?.('trust proxy', trustProxy === 'false' ? false : trustProxy === 'true' ? true : trustProxy);
  // Swagger UI's page runs one inline-free bundle; its CSP allows the styles it injects.
  // First: every request is timed, whatever answers it.
  app.use(metricsOf(app)?.middleware() ?? ((_req: unknown, _res: unknown, next: () => void) => next()));
  // Then: a server span per request, when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT).
  app.use(httpTracingMiddleware());
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  const config = app.get<BaseConfig>(CONFIG, { strict: false });
  const metrics = metricsOf(app);
  if (metrics && config.METRICS_PORT !== undefined) metrics.serveOn(config.METRICS_PORT, config.METRICS_HOST);
  if (config.API_RESPONSE_CHECK !== 'off')
    app.useGlobalInterceptors(new ResponseContractInterceptor(config.API_RESPONSE_CHECK));
  if (!docsEnabled(config)) return app;
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, opts), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return app;
}
