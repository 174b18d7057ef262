import { api } from '@jingzhun/contracts';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { REGION_LEVELS } from '@jingzhun/domain';
import { CurrentUser, JurisdictionFrom, Roles, invalid, type AuthUser, Answers } from '@jingzhun/platform';
import { regionCodeSchema } from '@jingzhun/domain';
import { RegionsService } from './regions.service';

class RegionListQueryDto extends createZodDto(
  z.object({ level: z.enum(REGION_LEVELS).optional(), parent: regionCodeSchema.optional() }),
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

  @Get(':code/stats')
  @JurisdictionFrom('params.code')
  @Answers(api.regionStatsSchema)
  stats(@Param('code') c: string) {
    return this.regions.stats(code(c));
  }
}
