import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@jingzhun/platform';
import { MONITORING_API, MonitoringModule } from '../../../../apps/monitoring/src/app.module';
import { loadMonitoringConfig } from '../../../../apps/monitoring/src/monitoring.config';
import { NOTIFICATIONS_API, NotificationsModule } from '../../../../apps/notifications/src/app.module';
import { loadNotificationsConfig } from '../../../../apps/notifications/src/notifications.config';
import { REGISTRY_API, RegistryModule } from '../../../../apps/registry/src/app.module';
import { loadRegistryConfig } from '../../../../apps/registry/src/registry.config';

export const SERVICES = ['registry', 'monitoring', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

const env = { NODE_ENV: 'test' } as never;
const modules: Record<ServiceName, () => { module: DynamicModule; api: { title: string; description: string } }> = {
  registry: () => ({ module: RegistryModule.forRoot(loadRegistryConfig(env)), api: REGISTRY_API }),
  monitoring: () => ({ module: MonitoringModule.forRoot(loadMonitoringConfig(env)), api: MONITORING_API }),
  notifications: () => ({ module: NotificationsModule.forRoot(loadNotificationsConfig(env)), api: NOTIFICATIONS_API }),
};

/**
 * A service's OpenAPI document, exactly as it serves it at /docs/openapi.json, built without
 * engines: Nest's preview mode scans the modules and controllers but instantiates no provider,
 * so no database, NATS or Temporal connection is made.
 */
export async function openApiDocument(service: ServiceName): Promise<OpenAPIObject> {
  const { module, api } = modules[service]();
  const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app, api);
  } finally {
    await app.close();
  }
}
