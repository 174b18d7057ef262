import { api, CommonError } from '@jingzhun/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { alertInputSchema } from '@jingzhun/contracts';
import { MONITORING_TYPES } from '@jingzhun/domain';
import {
  CurrentUser,
  forbidden,
  Roles,
  withinJurisdiction,
  type AuthUser,
  Answers,
  ApiErrors,
  uuidParamPipe,
} from '@jingzhun/platform';
import { AlertsService } from './alerts.service';

class AlertDto extends createZodDto(alertInputSchema) {}
class AlertListQueryDto extends createZodDto(
  z.object({
    status: z.enum(['RECEIVED', 'MATCHED', 'UNMATCHED', 'VILLAGE', 'CONFIRMED', 'DISMISSED', 'REFUSED']).optional(),
    regionCode: z
      .string()
      .regex(/^\d{12}$/, '应为 12 位行政区划代码')
      .optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  }),
) {}
class TriageDto extends createZodDto(
  z.object({
    decision: z.enum(['confirm', 'dismiss']).describe('confirm: 纳入监测程序; dismiss: 排除'),
    comment: z.string().trim().min(1, '请填写研判意见').max(500),
    monitoringType: z.enum(MONITORING_TYPES).optional(),
  }),
) {}

const uuid = uuidParamPipe();

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** A department's alert → 202 with its id; the same externalId again → 200 with the first one. */
  @Post()
  @HttpCode(202)
  @Answers(api.alertReceivedSchema, 202, 'Received: its evaluation has started')
  @Answers(api.alertReceivedSchema, 200, 'The same externalId again: the alert received first')
  @Roles('department')
  async receive(@CurrentUser() user: AuthUser, @Body() body: AlertDto, @Res({ passthrough: true }) res: Response) {
    const department = this.alerts.departmentOf(user);
    // A county's department reports on its own county only.
    if (body.villageCode && !withinJurisdiction(user, body.villageCode))
      throw forbidden(CommonError.OutsideJurisdiction, 'villageCode: 该行政村不在本部门的辖区');
    const r = await this.alerts.receive(department, user.id, body, 'http', user.regionCode);
    res.status(r.duplicate ? 200 : 202);
    return r;
  }

  /** 研判清单: alerts in the caller's jurisdiction, newest first (unmatched ones stay visible to the county). */
  @Get()
  @Roles('township', 'county', 'admin')
  @Answers(api.alertPageSchema)
  list(@CurrentUser() user: AuthUser, @Query() q: AlertListQueryDto) {
    return this.alerts.list(user, q);
  }

  @Post(':id/triage')
  @HttpCode(200)
  @Roles('township', 'county')
  @Answers(api.alertSchema)
  @ApiErrors(409, 503)
  triage(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() body: TriageDto,
    @Headers('authorization') bearer: string,
  ) {
    return this.alerts.triage(user, id, body, bearer);
  }
}
