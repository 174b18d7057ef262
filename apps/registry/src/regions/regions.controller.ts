import { api } from '@jingzhun/contracts';
import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { REGION_LEVELS } from '@jingzhun/domain';
import { ApiErrors, CurrentUser, JurisdictionFrom, Roles, invalid, type AuthUser, Answers } from '@jingzhun/platform';
import { regionCodeSchema } from '@jingzhun/domain';
import { RegionsService } from './regions.service';

class RegionListQueryDto extends createZodDto(
  z.object({ level: z.enum(REGION_LEVELS).optional(), parent: regionCodeSchema.optional() }),
) {}

class DesignationsDto extends createZodDto(
  z.object({
    villages: z
      .array(
        z.object({
          code: regionCodeSchema,
          designatedSince: z
            .number()
            .int()
            .min(2000, '认定年份不早于 2000 年')
            .max(2100)
            .nullable()
            .describe('认定为贫困村的年份; null 取消认定'),
        }),
      )
      .min(1, '至少一个行政村')
      .max(5000),
    reason: z.string().trim().min(1, '请说明依据 (如省级贫困村名单文号)').max(300),
  }),
) {}

function code(value: string): string {
  if (!/^\d{12}$/.test(value)) throw invalid('code', '区划代码应为12位数字');
  return value;
}

@ApiTags('regions')
@ApiBearerAuth()
@Roles('village', 'helper', 'township', 'county', 'admin')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @JurisdictionFrom('query.parent')
  @Answers(z.array(api.regionSchema))
  list(@CurrentUser() user: AuthUser, @Query() query: RegionListQueryDto) {
    return this.regions.list(user, query.level, query.parent);
  }

  @Get(':code')
  @JurisdictionFrom('params.code')
  @Answers(api.regionSchema)
  get(@Param('code') c: string) {
    return this.regions.get(code(c));
  }

  /** 贫困村名单: sets (or withdraws, with null) the designation year of each village; county or admin, audited. */
  @Put('designations')
  @HttpCode(200)
  @Roles('county', 'admin')
  @Answers(api.designationsSetSchema)
  @ApiErrors(400, 403)
  designations(@CurrentUser() user: AuthUser, @Body() body: DesignationsDto) {
    return this.regions.setDesignations(user, body);
  }

  @Get(':code/stats')
  @JurisdictionFrom('params.code')
  @Answers(api.regionStatsSchema)
  stats(@Param('code') c: string) {
    return this.regions.stats(code(c));
  }
}
