import { loadConfig, registryConfigSchema, type RegistryConfig } from '@jingzhun/platform';

export const REGISTRY_SCHEMA = 'registry';

export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return loadConfig(registryConfigSchema, env);
}
