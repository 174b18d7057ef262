import { registryConfigSchema } from './config.schema';
import { ConfigError, loadConfig, schemaUrl } from './load-config';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

describe('config', () => {
  it('has working defaults for development', () => {
    const c = loadConfig(registryConfigSchema, {});
    expect(c.REGISTRY_PORT).toBe(3000);
    expect(c.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('refuses a bad value and names the variable', () => {
    const err = thrown(() => loadConfig(registryConfigSchema, { REGISTRY_PORT: 'eighty', NATS_URL: 'http://x' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.key)).toEqual(
      expect.arrayContaining(['REGISTRY_PORT', 'NATS_URL']),
    );
    expect((err as ConfigError).message).toContain('REGISTRY_PORT');
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig(registryConfigSchema, { NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('dev login is off unless set explicitly, whatever NODE_ENV says; tokens are short', () => {
    expect(loadConfig(registryConfigSchema, {}).AUTH_DEV_LOGIN).toBe(false);
    expect(loadConfig(registryConfigSchema, { NODE_ENV: 'development' }).AUTH_DEV_LOGIN).toBe(false);
    expect(loadConfig(registryConfigSchema, { AUTH_DEV_LOGIN: 'true' }).AUTH_DEV_LOGIN).toBe(true);
    expect(loadConfig(registryConfigSchema, {}).JWT_TTL_SECONDS).toBe(900);
  });

  it('accepts only asymmetric algorithms from the identity provider', () => {
    expect(loadConfig(registryConfigSchema, {}).OIDC_ALGORITHMS).toEqual(['RS256', 'PS256', 'ES256']);
    expect(() => loadConfig(registryConfigSchema, { OIDC_ALGORITHMS: 'RS256,HS256' })).toThrow(/OIDC_ALGORITHMS/);
  });

  it('adds the schema parameter to a connection string', () => {
    expect(schemaUrl('postgresql://u@h:5432/db', 'registry')).toBe('postgresql://u@h:5432/db?schema=registry');
  });
});
