import 'reflect-metadata';
import { configOrExit, startTracing, createHttpApp } from '@jingzhun/platform';
import { NOTIFICATIONS_API, NotificationsModule } from './app.module';
import { loadNotificationsConfig } from './notifications.config';

async function main() {
  const config = configOrExit(() => loadNotificationsConfig());
  startTracing('notifications'); // on when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const app = await createHttpApp(NotificationsModule.forRoot(config), NOTIFICATIONS_API);
  await app.listen(config.NOTIFICATIONS_PORT, config.NOTIFICATIONS_HOST);
  const sms = config.SMS_GATEWAY_URL ? '短信网关已配置' : '短信未配置 (SMS_GATEWAY_URL)';
  const mail = config.SMTP_URL ? '邮件已配置' : '邮件未配置 (SMTP_URL)';
  process.stdout.write(
    `notifications 已启动: http://127.0.0.1:${config.NOTIFICATIONS_PORT} (API 文档 /docs; ${sms}; ${mail})\n`,
  );
}

void main();
