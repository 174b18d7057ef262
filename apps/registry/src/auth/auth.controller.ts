import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { api, CommonError } from '@jingzhun/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  Answers,
  ApiErrors,
  CONFIG,
  CurrentUser,
  DomainException,
  Public,
  TokenService,
  type AuthUser,
  type BaseConfig,
} from '@jingzhun/platform';
import { RegionStore } from '../regions/region.store';
import { UserStore } from '../users/user.store';

class TokenRequestDto extends createZodDto(z.object({ userId: z.string().trim().min(1, '用户名不能为空').max(64) })) {}
const authConfig = z.object({
  devLogin: z.boolean(),
  /** The county identity provider the console signs in with (Authorization Code + PKCE); null = none configured. */
  oidc: z.object({ issuer: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
});
const userView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
});

/** How many demo users of each role the dev login page offers (the seed has hundreds). */
const DEV_USERS_PER_ROLE = 6;

/**
 * Sign-in. Production: the county identity provider (OIDC; the console runs Authorization Code +
 * PKCE and sends the provider's access token, which every service verifies). Development and
 * tests only (AUTH_DEV_LOGIN=true, never by default): `{ userId }` → a short-lived token.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UserStore,
    private readonly regions: RegionStore,
    private readonly tokens: TokenService,
    @Inject(CONFIG) private readonly config: BaseConfig,
  ) {}

  /** What the console may offer on its login page: dev login only where the server has it on. */
  @Public()
  @Get('config')
  @Answers(authConfig)
  authConfig() {
    const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_SCOPE } = this.config;
    return {
      devLogin: this.config.AUTH_DEV_LOGIN,
      oidc: OIDC_ISSUER ? { issuer: OIDC_ISSUER, clientId: OIDC_CLIENT_ID, scope: OIDC_SCOPE } : null,
    };
  }

  /** Development: the demo users, a few of each role, for one-click login. 404 when dev login is off. */
  @Public()
  @Get('dev-users')
  @Answers(z.array(userView))
  @ApiErrors(404)
  async devUsers() {
    if (!this.config.AUTH_DEV_LOGIN) throw new DomainException(404, CommonError.NotFound, '开发登录已关闭');
    return this.users.firstOfEachRole(DEV_USERS_PER_ROLE);
  }

  /** The signed-in user, with the name of their region. */
  @ApiBearerAuth()
  @Get('me')
  @Answers(userView)
  async me(@CurrentUser() user: AuthUser) {
    const regionName = await this.regions.name(user.regionCode);
    return {
      id: user.id,
      name: user.name,
      role: user.role,
      regionCode: user.regionCode,
      regionName: regionName ?? (user.role === 'admin' ? '全部' : user.regionCode),
    };
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @Answers(api.tokenSchema)
  @ApiErrors(401, 404, 429)
  async token(@Body() body: TokenRequestDto) {
    if (!this.config.AUTH_DEV_LOGIN) throw new DomainException(404, CommonError.NotFound, '开发登录已关闭');
    const user = await this.users.find(body.userId);
    if (!user?.active)
      throw new DomainException(401, CommonError.Unauthenticated, `用户 ${body.userId} 不存在或已停用`);
    return this.tokens.issue({ id: user.id, name: user.name, role: user.role, regionCode: user.regionCode }, 'user');
  }
}
