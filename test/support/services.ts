import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { configureHttpApp } from '@jingzhun/platform';
import { MONITORING_API, MonitoringModule } from '../../apps/monitoring/src/app.module';
import { loadMonitoringConfig } from '../../apps/monitoring/src/monitoring.config';
import { NOTIFICATIONS_API, NotificationsModule } from '../../apps/notifications/src/app.module';
import { loadNotificationsConfig } from '../../apps/notifications/src/notifications.config';
import { testEngines } from './engines';
import { UNLIMITED_RATES } from './registry-app';

export interface RunningService {
  app: INestApplication;
  baseUrl: string;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A service app on a free port, with the environment every test service shares. */
async function start(module: DynamicModule, api: { title: string; description: string }): Promise<RunningService> {
  const app = await NestFactory.create(module, {
    logger: process.env.JZ_TEST_SERVICE_LOGS ? ['warn', 'error'] : false,
  });
  configureHttpApp(app, api);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return { app, baseUrl, http: request(baseUrl), close: () => app.close() };
}

const testEnv = (databaseUrl: string) => ({
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  DATABASE_URL: databaseUrl,
  NATS_URL: testEngines.natsUrl,
  TEMPORAL_ADDRESS: testEngines.temporalAddress,
  AUTH_DEV_LOGIN: 'true',
  // Every answer is checked against its documented schema: a document that lies fails the test.
  API_RESPONSE_CHECK: 'strict',
  JWT_TTL_SECONDS: '7200',
  ...UNLIMITED_RATES,
});

/** The real notifications service (consumers, dispatcher, digest worker, inbox API) on a free port. */
export async function startNotifications(databaseUrl: string, env: Record<string, string>): Promise<RunningService> {
  const config = loadNotificationsConfig({
    ...testEnv(databaseUrl),
    DISPATCH_POLL_MS: '100',
    DELIVERY_BACKOFF_MS: '100',
    QUIET_HOURS: 'none',
    ...env,
  });
  return start(NotificationsModule.forRoot(config), NOTIFICATIONS_API);
}

/** The real monitoring service (alert intake over HTTP and NATS, its activity worker, triage API). */
export async function startMonitoring(databaseUrl: string, env: Record<string, string>): Promise<RunningService> {
  const config = loadMonitoringConfig({ ...testEnv(databaseUrl), OUTBOX_POLL_MS: '50', ...env });
  return start(MonitoringModule.forRoot(config), MONITORING_API);
}
