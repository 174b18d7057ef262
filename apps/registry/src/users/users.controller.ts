import { api, CommonError, UserError } from '@jingzhun/contracts';
import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Role } from '@jingzhun/domain';
import {
  assertJurisdiction,
  CurrentUser,
  DomainException,
  JurisdictionFrom,
  Roles,
  type AuthUser,
  Answers,
  ApiErrors,
} from '@jingzhun/platform';
import { regionCodeSchema } from '@jingzhun/domain';
import { Journal } from '../journal/journal';
import { PrismaService } from '../prisma/prisma.service';
import { UserStore } from './user.store';

class UserListQueryDto extends createZodDto(
  z.object({
    role: z.enum(Role.codes).optional(),
    regionCode: regionCodeSchema.optional().describe('Users whose region lies inside this one'),
    contact: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('Include phone and e-mail (admins only: the notifications service reads its directory this way)'),
  }),
) {}

class UserUpdateDto extends createZodDto(
  z
    .object({
      active: z
        .boolean({ error: 'active 须为 true 或 false' })
        .optional()
        .describe('false: refused from the next request on'),
      oidcSubject: z
        .string()
        .trim()
        .min(1, 'oidcSubject 不能为空')
        .max(255, 'oidcSubject 过长')
        .nullable()
        .optional()
        .describe("The identity provider's `sub` this user signs in as; null unlinks"),
    })
    .strict()
    .refine((b) => b.active !== undefined || b.oidcSubject !== undefined, {
      message: '至少修改 active 或 oidcSubject 之一',
    }),
) {}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UserStore,
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
  ) {}

  /** Admins see everyone; township and county officers see the users inside their jurisdiction. */
  @Get()
  @Roles('township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  @Answers(z.array(api.userRowSchema))
  async list(@CurrentUser() user: AuthUser, @Query() query: UserListQueryDto) {
    const scope = query.regionCode ?? (user.role === 'admin' ? undefined : user.regionCode);
    if (scope) assertJurisdiction(user, scope);
    const rows = await this.users.list({ role: query.role, scope });
    const contact = query.contact === true && user.role === 'admin';
    return rows.map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      regionCode: u.regionCode,
      active: u.active,
      ...(contact ? { phone: u.phone, email: u.email } : {}),
    }));
  }

  /**
   * Admins: deactivate or reactivate a user (a deactivated user is refused on their next request,
   * whatever token they hold) and link the identity-provider subject they sign in as. Audited.
   */
  @Patch(':id')
  @Roles('admin')
  @Answers(api.userUpdatedSchema)
  @ApiErrors(409)
  async update(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() body: UserUpdateDto) {
    return this.prisma.$transaction(async (tx) => {
      const before = await this.users.find(id, tx);
      if (!before) throw new DomainException(404, CommonError.NotFound, `用户 ${id} 不存在`);
      if (body.oidcSubject) {
        const other = await this.users.findBySubject(tx, body.oidcSubject);
        if (other && other.id !== id)
          throw new DomainException(409, UserError.SubjectTaken, '该统一身份认证账号已关联其他用户', {
            field: 'oidcSubject',
          });
      }
      const after = await this.users.update(tx, id, { active: body.active, oidcSubject: body.oidcSubject });
      await this.journal.record(tx, actor, {
        action: 'user.updated',
        entity: 'user',
        entityId: id,
        regionCode: after.regionCode,
        before: { active: before.active, oidcSubject: before.oidcSubject },
        after: { active: after.active, oidcSubject: after.oidcSubject },
      });
      return {
        id: after.id,
        name: after.name,
        role: after.role,
        regionCode: after.regionCode,
        active: after.active,
        oidcSubject: after.oidcSubject,
      };
    });
  }
}
