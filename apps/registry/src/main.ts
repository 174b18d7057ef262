import 'reflect-metadata';
import { configOrExit, startTracing, createHttpApp } from '@jingzhun/platform';
import { REGISTRY_API, RegistryModule } from './app.module';
import { FollowUpCoverage } from './follow-ups/follow-up-coverage';
import { loadRegistryConfig } from './registry.config';

async function main() {
  const config = configOrExit(() => loadRegistryConfig());
  startTracing('registry'); // on when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const app = await createHttpApp(RegistryModule.forRoot(config), REGISTRY_API);
  await app.listen(config.REGISTRY_PORT, config.REGISTRY_HOST);
  // Follow-ups for every household that needs one: swept in the background once the service answers.
  app.get(FollowUpCoverage).keepCovered();
  process.stdout.write(`registry 已启动: http://127.0.0.1:${config.REGISTRY_PORT} (API 文档 /docs)\n`);
}

void main();
