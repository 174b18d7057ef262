import { CommonError } from '@jingzhun/contracts';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REGION_CODE_PATTERN, type Role } from '@jingzhun/domain';
import { DomainException } from '../errors/domain-exception';
import { IS_PUBLIC, JURISDICTION_FROM, ROLES } from './decorators';
import { assertJurisdiction } from './jurisdiction';
import { TokenService } from './token.service';
import { USER_DIRECTORY, type UserDirectory } from './user-directory';

/** Global guard: bearer token, the registry's user behind it, then role, then jurisdiction over region codes named by the route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(USER_DIRECTORY) private readonly users: UserDirectory,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers?.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new DomainException(401, CommonError.Unauthenticated, '缺少访问令牌 (Authorization: Bearer …)');
    const verified = await this.tokens.verify(token);
    if (!verified) throw new DomainException(401, CommonError.Unauthenticated, '访问令牌无效或已过期');
    // The role and region are the registry's, read on every request: a deactivated user is refused at once.
    const user = verified.kind === 'service' ? verified.user : await this.users.resolve(verified, token);
    if (!user) throw new DomainException(401, CommonError.Unauthenticated, '用户不存在或已停用');
    req.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new DomainException(
        403,
        CommonError.RoleNotAllowed,
        `角色 ${user.role} 无权执行此操作 (需要: ${roles.join(', ')})`,
      );
    }
    const paths = this.reflector.getAllAndOverride<string[] | undefined>(JURISDICTION_FROM, targets) ?? [];
    for (const path of paths) {
      const [part, key] = path.split('.');
      const value = req[part]?.[key];
      if (typeof value === 'string' && REGION_CODE_PATTERN.test(value)) assertJurisdiction(user, value);
    }
    return true;
  }
}
