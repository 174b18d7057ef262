import { api } from '@jingzhun/contracts';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { campaignStartSchema, verificationRecordSchema } from '@jingzhun/domain';
import {
  CurrentUser,
  IdempotencyKey,
  invalid,
  JurisdictionFrom,
  Roles,
  type AuthUser,
  Answers,
  AnswersFile,
  ApiErrors,
  uuidParamPipe,
} from '@jingzhun/platform';
import { CampaignQueries } from './campaign-queries';
import { CampaignsService } from './campaigns.service';
import { ComparisonSheetsService } from './comparison-sheets.service';
import { VerificationsService } from './verifications.service';

class CampaignStartDto extends createZodDto(campaignStartSchema) {}
class CampaignCancelDto extends createZodDto(
  z.object({ reason: z.string().trim().min(1, '请说明撤销原因').max(300) }),
) {}
class VerificationDto extends createZodDto(verificationRecordSchema) {}
class EntryExtensionDto extends createZodDto(
  z.object({
    until: z.iso.date('日期格式应为 YYYY-MM-DD').describe('延期至 (含当日, 北京时间)'),
    reason: z.string().trim().min(1, '请说明延期原因').max(300),
  }),
) {}

const uuid = uuidParamPipe();
const villageCode = (v: string) => (/^\d{12}$/.test(v) ? v : '000000000000');
const pdf = (res: Response, file: { fileName: string; pdf: Buffer }) =>
  res
    .status(200)
    .setHeader('Content-Type', 'application/pdf')
    .setHeader('Content-Disposition', `inline; filename="${file.fileName}"`)
    .send(file.pdf);

/** 年度动态调整: the county's campaign, its scope's dry run, the comparison sheets and the door-to-door verifications. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly queries: CampaignQueries,
    private readonly sheets: ComparisonSheetsService,
    private readonly verifications: VerificationsService,
  ) {}

  /** The dry run: the villages and households the categories give on live data, before anything starts. */
  @Post('preview')
  @HttpCode(200)
  @Roles('county')
  @JurisdictionFrom('body.countyCode')
  @Answers(api.campaignPreviewSchema)
  @ApiErrors(409)
  preview(@CurrentUser() user: AuthUser, @Body() body: CampaignStartDto) {
    return this.campaigns.preview(user, body);
  }

  /** Starts the campaign the officer confirmed (`confirmHouseholds` = the dry run's count). */
  @Post()
  @Roles('county')
  @JurisdictionFrom('body.countyCode')
  @Answers(api.campaignStartedSchema, 201, 'Started; its workflow runs the calendar')
  @ApiErrors(409, 503)
  start(@CurrentUser() user: AuthUser, @Body() body: CampaignStartDto) {
    return this.campaigns.start(user, body);
  }

  /** The campaigns of the caller's county, newest first. */
  @Get()
  @Roles('township', 'county', 'admin')
  @Answers(z.array(api.campaignListItemSchema))
  list(@CurrentUser() user: AuthUser) {
    return this.queries.list(user);
  }

  /** Phase, calendar and progress per township and village (the workflow's query). */
  @Get(':id')
  @Roles('township', 'county', 'admin')
  @Answers(api.campaignSchema)
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.queries.get(user, id);
  }

  /** Cancels the campaign: the open work is withdrawn; it may then be started again for the year. */
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('county')
  @Answers(api.campaignStateSchema)
  @ApiErrors(409, 503)
  cancel(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: CampaignCancelDto) {
    return this.campaigns.cancel(user, id, body.reason);
  }

  /** 数据录入延期: reopens the campaign's data entry until a date, with the reason (county, audited). */
  @Put(':id/entry-extension')
  @HttpCode(200)
  @Roles('county')
  @Answers(api.entryExtendedSchema)
  @ApiErrors(409)
  extendEntry(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: EntryExtensionDto) {
    return this.campaigns.extendEntry(user, id, body);
  }

  /** 对照表 of one household, pre-filled from the registry (ID numbers masked). */
  @Get(':id/households/:householdId/sheet')
  @Roles('village', 'helper', 'township', 'county')
  @ApiProduces('application/pdf')
  @AnswersFile('application/pdf', 'The household comparison sheet (对比表)')
  async householdSheet(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Param('householdId', uuid) householdId: string,
    @Res() res: Response,
  ) {
    pdf(res, await this.sheets.household(user, id, householdId));
  }

  /** 对照表 of every household in scope in a village, one PDF to print. */
  @Get(':id/villages/:villageCode/sheets')
  @Roles('village', 'township', 'county')
  @ApiProduces('application/pdf')
  @AnswersFile('application/pdf', "The village's comparison sheets, one household per page")
  async villageSheets(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Param('villageCode') code: string,
    @Res() res: Response,
  ) {
    pdf(res, await this.sheets.village(user, id, villageCode(code)));
  }

  /** Records the household's verification; its findings open their procedures (member change, exit, return, monitoring). */
  @Post(':id/households/:householdId/verification')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'The same submit repeated (a phone resending its outbox) answers the first result',
  })
  @Roles('village', 'helper', 'township', 'county')
  @Answers(api.verificationRecordedSchema, 201)
  @ApiErrors(409)
  verify(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Param('householdId', uuid) householdId: string,
    @Body() body: VerificationDto,
    @IdempotencyKey() key?: string,
  ) {
    if (key !== undefined && !/^[\w.:-]{8,128}$/.test(key))
      throw invalid('Idempotency-Key', '应为8到128位字母、数字或 . _ : -');
    return this.verifications.record(user, id, householdId, body, key);
  }
}
