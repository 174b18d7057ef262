import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { RegistryModule } from '../../../apps/registry/src/app.module';
import { loadRegistryConfig } from '../../../apps/registry/src/registry.config';

/** The registry's providers without its HTTP server: for seed, import and benchmarks. */
export async function registryContext(env: NodeJS.ProcessEnv = process.env): Promise<INestApplicationContext> {
  const config = loadRegistryConfig({ LOG_LEVEL: 'warn', ...env });
  const app = await NestFactory.createApplicationContext(RegistryModule.forRoot(config, { worker: false }), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
