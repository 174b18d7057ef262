import 'reflect-metadata';
import { configOrExit, startTracing, createHttpApp } from '@jingzhun/platform';
import { REGISTRY_API, RegistryModule } from './app.module';
import { loadRegistryConfig } from './registry.config';

async function main() {
  const config = configOrExit(() => loadRegistryConfig());
  startTracing('registry'); // on when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const app = await createHttpApp(RegistryModule.forRoot(config), REGISTRY_API);
  await app.listen(config.REGISTRY_PORT, config.REGISTRY_HOST);
  process.stdout.write(`registry 已启动: http://127.0.0.1:${config.REGISTRY_PORT} (API 文档 /docs)\n`);
}

void main();
