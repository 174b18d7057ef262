import { loadConfig, notificationsConfigSchema, type NotificationsConfig } from '@jingzhun/platform';

export const NOTIFY_SCHEMA = 'notify';

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return loadConfig(notificationsConfigSchema, env);
}
