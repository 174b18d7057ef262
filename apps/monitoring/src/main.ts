import 'reflect-metadata';
import { configOrExit, startTracing, createHttpApp } from '@jingzhun/platform';
import { MONITORING_API, MonitoringModule } from './app.module';
import { loadMonitoringConfig } from './monitoring.config';

async function main() {
  const config = configOrExit(() => loadMonitoringConfig());
  startTracing('monitoring'); // on when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const app = await createHttpApp(MonitoringModule.forRoot(config), MONITORING_API);
  await app.listen(config.MONITORING_PORT, config.MONITORING_HOST);
  process.stdout.write(`monitoring 已启动: http://127.0.0.1:${config.MONITORING_PORT} (API 文档 /docs)\n`);
}

void main();
