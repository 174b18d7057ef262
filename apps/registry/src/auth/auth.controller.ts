import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { CONFIG, DomainException, Public, TokenService, type BaseConfig } from '@jingzhun/platform';
import { PrismaService } from '../prisma/prisma.service';

class TokenRequestDto extends createZodDto(z.object({ userId: z.string().trim().min(1, '用户名不能为空').max(64) })) {}

/**
 * Development and test login: `{ userId }` → bearer token. Production turns it off
 * (AUTH_DEV_LOGIN=false) and exchanges the county identity provider's token instead.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: TokenService,
    @Inject(CONFIG) private readonly config: BaseConfig,
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  async token(@Body() body: TokenRequestDto) {
    if (!this.config.AUTH_DEV_LOGIN) throw new DomainException(404, 'NOT_FOUND', '开发登录已关闭');
    const user = await this.prisma.user.findUnique({ where: { id: body.userId } });
    if (!user || !user.active) throw new DomainException(401, 'UNAUTHENTICATED', `用户 ${body.userId} 不存在或已停用`);
    return this.tokens.issue({ id: user.id, name: user.name, role: user.role, regionCode: user.regionCode });
  }
}
