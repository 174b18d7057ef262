import { FollowUpCoverage } from '../../apps/registry/src/follow-ups/follow-up-coverage';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { configureHttpApp } from '@jingzhun/platform';
import { REGISTRY_API, RegistryModule } from '../../apps/registry/src/app.module';
import { loadRegistryConfig } from '../../apps/registry/src/registry.config';
import { testEngines } from './engines';

/** Tests drive hundreds of writes as one officer; the limits have a test of their own. */
export const UNLIMITED_RATES = {
  RATE_WRITES_PER_USER: '1000000',
  RATE_READS_PER_USER: '1000000',
  RATE_LOGIN_PER_IP: '1000000',
  RATE_LOGIN_PER_USER: '1000000',
};

export interface RunningRegistry {
  app: INestApplication;
  baseUrl: string;
  http: ReturnType<typeof request>;
  token(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** The real registry app (HTTP, outbox relay, JetStream) on a free port against the given database. */
export async function startRegistry(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningRegistry> {
  const config = loadRegistryConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    NATS_URL: testEngines.natsUrl,
    TEMPORAL_ADDRESS: testEngines.temporalAddress,
    OUTBOX_POLL_MS: '50',
    // Dev login is off unless set; the tests sign in through it. Tokens outlive a long test file.
    AUTH_DEV_LOGIN: 'true',
    // Every answer is checked against its documented schema: a document that lies fails the test.
    API_RESPONSE_CHECK: 'strict',
    JWT_TTL_SECONDS: '7200',
    ...UNLIMITED_RATES,
    // Tests that drive follow-ups themselves run without the background coverage sweep (its own tests turn it on).
    FOLLOW_UP_SWEEP_SECONDS: '0',
    ...env,
  });
  const app = await NestFactory.create(RegistryModule.forRoot(config), { logger: false });
  configureHttpApp(app, REGISTRY_API);
  await app.listen(0, '127.0.0.1');
  app.get(FollowUpCoverage).keepCovered(); // as main.ts does (a no-op when the sweep is off)
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const tokens = new Map<string, string>();
  return {
    app,
    baseUrl,
    http: request(baseUrl),
    async token(userId: string) {
      if (!tokens.has(userId)) {
        const res = await request(baseUrl).post('/auth/token').send({ userId });
        if (res.status !== 200) throw new Error(`login ${userId} failed: ${res.status} ${JSON.stringify(res.body)}`);
        tokens.set(userId, res.body.accessToken);
      }
      return tokens.get(userId)!;
    },
    close: () => app.close(),
  };
}
