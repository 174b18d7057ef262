import { api } from '@jingzhun/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionCodeSchema } from '@jingzhun/domain';
import { CurrentUser, JurisdictionFrom, Roles, type AuthUser, Answers } from '@jingzhun/platform';
import { DashboardService } from './dashboard.service';

class DashboardQueryDto extends createZodDto(
  z.object({ regionCode: regionCodeSchema.optional().describe("Defaults to the caller's region") }),
) {}

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /** 县/乡 工作台: households by status per area, incidence per village, procedures in flight, who is late. */
  @Get()
  @Roles('township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  @Answers(api.dashboardSchema)
  get(@CurrentUser() user: AuthUser, @Query() q: DashboardQueryDto) {
    return this.dashboard.get(user, q.regionCode);
  }
}
