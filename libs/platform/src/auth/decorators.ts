import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@jingzhun/domain';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'jz:public';
export const ROLES = 'jz:roles';
export const JURISDICTION_FROM = 'jz:jurisdiction-from';

/** No token needed (health, login, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. Routes without it are open to every signed-in role. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * Request parts that carry a region code the caller must hold jurisdiction over, e.g.
 * `'params.code'`, `'query.regionCode'`, `'body.villageCode'`. Resources found by id are checked
 * by their service with `assertJurisdiction` once loaded.
 */
export const JurisdictionFrom = (...paths: string[]) => SetMetadata(JURISDICTION_FROM, paths);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});

/**
 * The optional `Idempotency-Key` header. Read through a decorator of our own rather than
 * `@Headers()`, which @nestjs/swagger documents a second time and as required; the route documents
 * it once with `@ApiHeader({ required: false })`.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest().headers?.['idempotency-key'];
  return typeof value === 'string' ? value : undefined;
});
