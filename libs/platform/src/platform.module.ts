import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ZodValidationPipe } from 'nestjs-zod';
import { AuthGuard } from './auth/auth.guard';
import { TokenService } from './auth/token.service';
import { USER_DIRECTORY } from './auth/user-directory';
import type { BaseConfig } from './config/config.schema';
import { createServicePool } from './database/pg-pool';
import { PoolLifecycle } from './database/pool-lifecycle';
import { ErrorResponseFilter } from './errors/error-response.filter';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { TracingLifecycle } from './tracing/tracing';
import { MetricsService } from './metrics/metrics.service';
import { InputLimitsGuard } from './http/input-limits';
import { RateLimitGuard, rateLimitModule } from './http/rate-limit';
import { loggerModule } from './logging/logger.module';
import { JetStreamService, STREAM_SPECS } from './nats/jetstream.service';
import type { StreamSpec } from './nats/streams';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { TemporalClientService } from './temporal/temporal-client.service';
import { CONFIG, PG_POOL, SERVICE_INFO, type ServiceInfo } from './tokens';

export interface PlatformOptions {
  service: ServiceInfo;
  config: BaseConfig;
  streams: StreamSpec[];
  /** Relay this service's outbox to JetStream (services that write events). */
  outbox?: boolean;
  poolSize?: number;
  /** Who a token's subject is: the registry reads its users; the other services ask the registry. */
  users: Provider & { provide: typeof USER_DIRECTORY };
}

/** Everything a Jingzhun service stands on, configured once from its parsed config. */
@Module({})
export class PlatformModule {
  static forService(opts: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: CONFIG, useValue: opts.config },
      { provide: SERVICE_INFO, useValue: opts.service },
      { provide: STREAM_SPECS, useValue: opts.streams },
      {
        provide: PG_POOL,
        useFactory: () =>
          createServicePool(opts.config.DATABASE_URL, opts.service.schema, opts.poolSize ?? opts.config.DB_POOL_SIZE),
      },
      PoolLifecycle,
      TracingLifecycle,
      JetStreamService,
      TemporalClientService,
      TokenService,
      MetricsService,
      opts.users,
      // Bad input is refused before anything reads it; then the token, the role and the jurisdiction.
      { provide: APP_GUARD, useClass: InputLimitsGuard },
      { provide: APP_GUARD, useClass: AuthGuard },
      // After authentication: writes and reads are limited per person, sign-in per address and user name.
      { provide: APP_GUARD, useClass: RateLimitGuard },
      { provide: APP_FILTER, useClass: ErrorResponseFilter },
      { provide: APP_PIPE, useClass: ZodValidationPipe },
    ];
    if (opts.outbox) providers.push(OutboxRelayService);
    return {
      module: PlatformModule,
      global: true,
      imports: [loggerModule(opts.config.LOG_LEVEL), rateLimitModule(opts.config)],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [
        CONFIG,
        SERVICE_INFO,
        PG_POOL,
        JetStreamService,
        TemporalClientService,
        TokenService,
        MetricsService,
        ...(opts.outbox ? [OutboxRelayService] : []),
      ],
    };
  }
}
