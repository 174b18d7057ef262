import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { configOrExit, startTracing } from '@jingzhun/platform';
import { WorkerModule } from './worker.module';
import { loadWorkerConfig } from './worker.config';

async function main() {
  const config = configOrExit(() => loadWorkerConfig());
  startTracing('worker'); // on when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write(`worker 已启动: 任务队列 processes @ ${config.TEMPORAL_ADDRESS}\n`);
}

void main();
