import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Role } from '@jingzhun/domain';
import { assertJurisdiction, CurrentUser, JurisdictionFrom, Roles, type AuthUser } from '@jingzhun/platform';
import { regionCodeSchema } from '@jingzhun/domain';
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

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserStore) {}

  /** Admins see everyone; township and county officers see the users inside their jurisdiction. */
  @Get()
  @Roles('township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  async list(@CurrentUser() user: AuthUser, @Query() query: UserListQueryDto) {
    const scope = query.regionCode ?? (user.role === 'admin' ? undefined : user.regionCode);
    if (scope) assertJurisdiction(user, scope);
    const rows = await this.users.list({ role: query.role, scope });
    const contact = query.contact === true && user.role === 'admin';
    return rows.map((u) => ({ id: u.id, name: u.name, role: u.role, regionCode: u.regionCode, active: u.active, ...(contact ? { phone: u.phone, email: u.email } : {}) }));
  }
}
