import { z } from 'zod';

const DEV_SECRET = 'jingzhun-dev-only-secret-change-me';
const DEV_KEY = '6a696e677a68756e2d6465762d6f6e6c792d6b65792d3332627974657321213f';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const hexKey = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)');

/** Settings every service reads. Each has a development default; production must set the secrets. */
export const baseConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
      .default('postgresql://postgres@127.0.0.1:5432/jingzhun'),
    NATS_URL: z
      .string()
      .regex(/^(nats|tls):\/\//, 'must be a nats:// URL')
      .default('nats://127.0.0.1:4222'),
    /** Prefix for stream and consumer names so several installations can share one NATS. */
    /** This service's own NATS user (deploy/nats/auth.conf); unset = connect without credentials. */
    NATS_USER: z.string().min(1).optional(),
    NATS_PASSWORD: z.string().min(1).optional(),
    /** CA bundle to verify the NATS server's TLS certificate (docker-compose.yml runs NATS with TLS). */
    NATS_TLS_CA_FILE: z.string().min(1).optional(),
    NATS_STREAM_PREFIX: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, 'upper-case letters, digits and _')
      .default('JZ'),
    /** Replicas of each stream: 3 on a 3-node JetStream cluster (deploy/kubernetes), 1 on a single server. */
    NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
    TEMPORAL_ADDRESS: z.string().min(3).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** Prometheus' /metrics on a port of its own (and a 404 on the API's port); required in production. */
    METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    METRICS_HOST: z.string().min(1).default('0.0.0.0'),
    /** host:port where the Temporal SDK serves its worker metrics (Prometheus, /metrics); unset = off. */
    TEMPORAL_METRICS_BIND: z
      .string()
      .regex(/^[\w.-]+:\d{1,5}$/, '应为 host:port')
      .optional(),
    /** mTLS to Temporal: the CA of the server's certificate, this service's certificate and key (PEM files). */
    TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
    TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
    /** Lifetime of the tokens the services sign (dev login, service to service): short, 15 minutes. */
    JWT_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    /** Enables POST /auth/token {userId}: only where set explicitly (npm run dev, the tests). Unset = off, whatever NODE_ENV says. */
    AUTH_DEV_LOGIN: bool.default(false),
    /** The county identity provider (OpenID Connect): its issuer URL; unset = no production login. */
    OIDC_ISSUER: z
      .string()
      .url('must be a URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** The audience the provider puts in access tokens for Jingzhun. */
    OIDC_AUDIENCE: z.string().min(1).default('jingzhun'),
    /** The console's public client id (Authorization Code + PKCE). */
    OIDC_CLIENT_ID: z.string().min(1).default('jingzhun-console'),
    /** The scopes the console asks the provider for. */
    OIDC_SCOPE: z.string().min(1).default('openid profile'),
    /** Leeway for the provider's clock when checking `exp` / `nbf` (seconds). */
    OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    /** The provider's JWKS; unset = from its discovery document. */
    OIDC_JWKS_URL: z
      .string()
      .url('must be a URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** Signature algorithms accepted from the provider (comma-separated); never HS* or none. */
    OIDC_ALGORITHMS: z
      .string()
      .default('RS256,PS256,ES256')
      .transform((v) =>
        v
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z.enum(
              ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
              'only asymmetric algorithms (RS*, PS*, ES*, EdDSA)',
            ),
          )
          .min(1),
      ),
    /** HMAC key for ID-number lookup hashes. */
    ID_HASH_KEY: hexKey.default(DEV_KEY),
    /** AES-256-GCM key for the stored ID number. */
    ID_ENCRYPTION_KEY: hexKey.default(DEV_KEY),
    /** Connections per service; activities run at most DB_POOL_SIZE − 5 at once so HTTP always gets some. */
    DB_POOL_SIZE: z.coerce.number().int().min(5).max(200).default(20),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    /** Deepest nesting a request's body or query may have; deeper is a 400 naming the field. */
    JSON_MAX_DEPTH: z.coerce.number().int().min(4).max(256).default(32),
    /** Abuse limits, per minute (429 with Retry-After beyond them): dev sign-in per address and per user name. */
    RATE_LOGIN_PER_IP: z.coerce.number().int().min(1).default(20),
    RATE_LOGIN_PER_USER: z.coerce.number().int().min(1).default(5),
    /** Writes (POST/PUT/PATCH/DELETE) and reads per signed-in person; the services' own identities are not limited. */
    RATE_WRITES_PER_USER: z.coerce.number().int().min(1).default(120),
    RATE_READS_PER_USER: z.coerce.number().int().min(1).default(1200),
    /** Express "trust proxy": which proxies' X-Forwarded-For gives the caller's address (the login limit is per address). */
    TRUST_PROXY: z.string().default('loopback'),
    /** Swagger UI and the OpenAPI document at /docs: on by default except in production. */
    API_DOCS: bool.optional(),
    /** Check every answer against its documented schema: off (production), log, or strict (tests: a mismatch is a 500). */
    API_RESPONSE_CHECK: z.enum(['off', 'log', 'strict']).default('off'),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    if (c.JWT_SECRET === DEV_SECRET)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
    if (c.ID_HASH_KEY === DEV_KEY)
      ctx.addIssue({ code: 'custom', path: ['ID_HASH_KEY'], message: 'must be set in production' });
    if (c.ID_ENCRYPTION_KEY === DEV_KEY)
      ctx.addIssue({ code: 'custom', path: ['ID_ENCRYPTION_KEY'], message: 'must be set in production' });
    if (c.AUTH_DEV_LOGIN)
      ctx.addIssue({ code: 'custom', path: ['AUTH_DEV_LOGIN'], message: 'must be false in production' });
    if (c.METRICS_PORT === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'must be set in production (/metrics off the API port)',
      });
  });

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export const registryConfigSchema = z.intersection(
  baseConfigSchema,
  z.object({
    REGISTRY_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    REGISTRY_HOST: z.string().default('0.0.0.0'),
    /** The Temporal Web UI admins follow a case in; the console links a case to its workflow there. Empty = no link. */
    TEMPORAL_UI_URL: z.string().url('must be a URL').or(z.literal('')).default('http://127.0.0.1:8233'),
    /** Imports: the upload's cap, and the parsed sheet's rows, columns and cells (beyond them 413, or 400 for a column). */
    IMPORT_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(2048).default(200),
    IMPORT_MAX_ROWS: z.coerce.number().int().min(10).default(200_000),
    IMPORT_MAX_COLUMNS: z.coerce.number().int().min(23).max(16_384).default(64),
    IMPORT_MAX_CELLS: z.coerce.number().int().min(100).default(4_000_000),
    /** Heap of the child process that parses an upload (MB): a file that needs more is refused with a 413, the registry is not touched. */
    IMPORT_PARSER_MEMORY_MB: z.coerce.number().int().min(32).max(8192).default(256),
    /** Where uploads are streamed to before parsing (removed once read); default the system's temp directory. */
    IMPORT_TMP_DIR: z.string().optional(),
    /**
     * Follow-up coverage (回访全覆盖): seconds between the registry's sweeps that start the follow-up of
     * every household that needs one and end those that outlived their need; 0 turns the sweep off
     * (tests that drive follow-ups themselves). A status change also asks for a sweep at once.
     */
    FOLLOW_UP_SWEEP_SECONDS: z.coerce.number().int().min(0).default(600),
    /** Follow-ups started at once while sweeping (Temporal starts in flight). */
    FOLLOW_UP_SWEEP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  }),
);
export type RegistryConfig = z.infer<typeof registryConfigSchema>;

const optionalUrl = z
  .string()
  .url('must be a URL')
  .optional()
  .or(z.literal('').transform(() => undefined));

export const notificationsConfigSchema = z.intersection(
  baseConfigSchema,
  z.object({
    NOTIFICATIONS_PORT: z.coerce.number().int().min(1).max(65535).default(3002),
    NOTIFICATIONS_HOST: z.string().default('0.0.0.0'),
    /** The registry's HTTP API: the contact directory (users with phone and e-mail). */
    REGISTRY_URL: z.string().url('must be a URL').default('http://127.0.0.1:3000'),
    /** SMS gateway webhook; unset = SMS off. Each request is signed: X-Jz-Signature = hex HMAC-SHA256(body, secret). */
    SMS_GATEWAY_URL: optionalUrl,
    SMS_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').default('jingzhun-dev-sms-secret'),
    /** smtp://user:pass@host:port; unset = e-mail off. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    SMTP_FROM: z.string().default('精准 <noreply@jingzhun.local>'),
    /** No SMS in these local (China Standard Time) hours, "22-7"; deferred to the end, never dropped. "none" = no quiet hours. */
    QUIET_HOURS: z
      .string()
      .regex(/^(\d{1,2}-\d{1,2}|none)$/, 'must look like 22-7, or be none')
      .default('22-7'),
    /** A cadre with more open items than this gets the daily digest. */
    DIGEST_THRESHOLD: z.coerce.number().int().min(0).default(10),
    DISPATCH_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    /** First retry delay on a channel failure; doubles each attempt, capped at 10 minutes. */
    DELIVERY_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  }),
);
export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

export const monitoringConfigSchema = z.intersection(
  baseConfigSchema,
  z.object({
    MONITORING_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
    MONITORING_HOST: z.string().default('0.0.0.0'),
    /** The registry's HTTP API: a confirmed risk starts monitoring inclusion there (POST /cases). */
    REGISTRY_URL: z.string().url('must be a URL').default('http://127.0.0.1:3000'),
    /** Monthly risk scan (Temporal Schedule), cron in China Standard Time. */
    SCAN_CRON: z.string().default('0 2 1 * *'),
    SCAN_PAGE_SIZE: z.coerce.number().int().min(100).max(50_000).default(25_000),
  }),
);
export type MonitoringConfig = z.infer<typeof monitoringConfigSchema>;
