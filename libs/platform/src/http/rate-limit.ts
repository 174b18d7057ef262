import { CommonError } from '@jingzhun/contracts';
import { ExecutionContext, Injectable } from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerModule,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
} from '@nestjs/throttler';
import type { AuthUser } from '../auth/auth-user';
import { SERVICE_PREFIX } from '../auth/token.service';
import type { BaseConfig } from '../config/config.schema';
import { DomainException } from '../errors/domain-exception';

const MINUTE = 60_000;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The routes that sign someone in (dev login; production sign-in is the identity provider's, which locks out itself). */
const LOGIN_ROUTES = new Set(['/auth/token']);

type Req = { method: string; path?: string; url: string; ip?: string; user?: AuthUser; body?: { userId?: unknown } };
const reqOf = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<Req>();
const pathOf = (req: Req) => req.path ?? req.url.split('?')[0];
const isLogin = (req: Req) => req.method === 'POST' && LOGIN_ROUTES.has(pathOf(req));
const track = (f: (req: Req) => string) => (req: Record<string, unknown>) => f(req as unknown as Req);
const person = (req: Req) => (req.user && !req.user.id.startsWith(SERVICE_PREFIX) ? req.user.id : null);

/**
 * The limits (config, per minute): sign-in per address and per user name; writes and reads per
 * signed-in person. Service identities (svc-*) are not limited: they are the installation's own.
 * Counted per process (the default in-memory storage): with N replicas a caller gets at most N×.
 */
export function rateLimitOptions(config: BaseConfig): ThrottlerModuleOptions {
  const login = (ctx: ExecutionContext) => !isLogin(reqOf(ctx));
  const writesSkip = (ctx: ExecutionContext) => !WRITE_METHODS.has(reqOf(ctx).method) || !person(reqOf(ctx));
  const readsSkip = (ctx: ExecutionContext) => WRITE_METHODS.has(reqOf(ctx).method) || !person(reqOf(ctx));
  const throttlers: ThrottlerOptions[] = [
    {
      name: 'login-ip',
      limit: config.RATE_LOGIN_PER_IP,
      ttl: MINUTE,
      skipIf: login,
      getTracker: track((req) => req.ip ?? 'unknown'),
    },
    {
      name: 'login-user',
      limit: config.RATE_LOGIN_PER_USER,
      ttl: MINUTE,
      skipIf: login,
      getTracker: track((req) => (typeof req.body?.userId === 'string' ? req.body.userId.trim().slice(0, 64) : '-')),
    },
    {
      name: 'writes',
      limit: config.RATE_WRITES_PER_USER,
      ttl: MINUTE,
      skipIf: writesSkip,
      getTracker: track((req) => person(req)!),
    },
    {
      name: 'reads',
      limit: config.RATE_READS_PER_USER,
      ttl: MINUTE,
      skipIf: readsSkip,
      getTracker: track((req) => person(req)!),
    },
  ];
  // One count per person (or address) across every route, not one per route.
  return { throttlers, setHeaders: false, generateKey: (_ctx, tracker, name) => `${name}:${tracker}` };
}

export const rateLimitModule = (config: BaseConfig) => ThrottlerModule.forRoot(rateLimitOptions(config));

const WHAT: Record<string, string> = { 'login-ip': '登录', 'login-user': '登录', writes: '提交', reads: '查询' };

/** After authentication (it limits the person, not only the address): 429 with Retry-After (seconds). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    ctx
      .switchToHttp()
      .getResponse<{ setHeader(n: string, v: string): void }>()
      .setHeader('Retry-After', String(seconds));
    const name = detail.key.split(':')[0];
    throw new DomainException(
      429,
      CommonError.TooManyRequests,
      `${WHAT[name] ?? '请求'}过于频繁, 请 ${seconds} 秒后再试`,
      {
        retryAfterSeconds: seconds,
        limit: detail.limit,
      },
    );
  }
}
