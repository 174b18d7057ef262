import { loadConfig, monitoringConfigSchema, type MonitoringConfig } from '@jingzhun/platform';

export const MONITORING_SCHEMA = 'monitoring';

export function loadMonitoringConfig(env: NodeJS.ProcessEnv = process.env): MonitoringConfig {
  return loadConfig(monitoringConfigSchema, env);
}
