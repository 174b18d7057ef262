import { api } from '@jingzhun/contracts';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { rm } from 'node:fs/promises';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionCodeSchema } from '@jingzhun/domain';
import {
  CurrentUser,
  invalid,
  Roles,
  type AuthUser,
  Answers,
  AnswersFile,
  ApiErrors,
  uuidParamPipe,
} from '@jingzhun/platform';
import type { Response } from 'express';
import { CleaningService } from './cleaning.service';
import { ProvinceProblems } from './province-problems';
import { SummaryService } from './summary.service';

class ProblemListQueryDto extends createZodDto(
  z.object({
    status: z.enum(['OPEN', 'FIXED', 'EXPLAINED', 'ACCEPTED', 'REJECTED']).optional(),
    regionCode: regionCodeSchema.optional(),
  }),
) {}
class SummaryQueryDto extends createZodDto(z.object({ regionCode: regionCodeSchema.optional() })) {}
class ExplanationDto extends createZodDto(
  z.object({ explanation: z.string().trim().min(1, '请填写情况说明').max(1000) }),
) {}
class ReviewDto extends createZodDto(
  z.object({ accept: z.boolean(), comment: z.string().trim().max(500).default('') }),
) {}

const uuid = uuidParamPipe();
/** The province's list is a few thousand rows at most. */
const MAX_PROVINCE_FILE = 10 * 1024 * 1024;

/** 数据清洗: the problem items the rules (and the province) found, fixed or explained by the townships. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns/:id')
export class CleaningController {
  constructor(
    private readonly cleaning: CleaningService,
    private readonly provinceList: ProvinceProblems,
    private readonly summary: SummaryService,
  ) {}

  /** 工作总结: the year's figures for the county (with each township's) or one township. */
  @Get('summary')
  @Roles('township', 'county', 'admin')
  @Answers(api.summaryFiguresSchema)
  figures(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() q: SummaryQueryDto) {
    return this.summary.figures(user, id, q.regionCode);
  }

  @Get('summary.xlsx')
  @Roles('township', 'county', 'admin')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @AnswersFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'The summary as a workbook')
  async summaryXlsx(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Query() q: SummaryQueryDto,
    @Res() res: Response,
  ) {
    const f = await this.summary.xlsx(user, id, q.regionCode);
    res
      .status(200)
      .setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader('Content-Disposition', `attachment; filename="${f.fileName}"`)
      .send(f.body);
  }

  @Get('summary.pdf')
  @Roles('township', 'county', 'admin')
  @ApiProduces('application/pdf')
  @AnswersFile('application/pdf', 'The summary, printable')
  async summaryPdf(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Query() q: SummaryQueryDto,
    @Res() res: Response,
  ) {
    const f = await this.summary.pdf(user, id, q.regionCode);
    res
      .status(200)
      .setHeader('Content-Type', 'application/pdf')
      .setHeader('Content-Disposition', `inline; filename="${f.fileName}"`)
      .send(f.body);
  }

  /** Runs the rules in force again over the county (the workflow runs them when the cleaning window opens). */
  @Post('cleaning')
  @HttpCode(200)
  @Roles('county')
  @Answers(api.cleaningRunSchema)
  @ApiErrors(409)
  run(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.cleaning.runByOfficer(user, id);
  }

  @Get('problems')
  @Roles('village', 'township', 'county', 'admin')
  @Answers(z.array(api.problemSchema))
  list(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() q: ProblemListQueryDto) {
    return this.cleaning.list(user, id, q);
  }

  /** The data was corrected: the rule is run again for the household; clean closes the item (409 with what still fails). */
  @Post('problems/:itemId/recheck')
  @HttpCode(200)
  @Roles('village', 'township', 'county')
  @Answers(api.problemStatusSchema)
  @ApiErrors(409)
  recheck(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Param('itemId', uuid) itemId: string) {
    return this.cleaning.recheck(user, id, itemId);
  }

  /** 情况说明 by the township. */
  @Post('problems/:itemId/explanation')
  @HttpCode(200)
  @Roles('township')
  @Answers(api.problemStatusSchema)
  @ApiErrors(409)
  explain(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Param('itemId', uuid) itemId: string,
    @Body() body: ExplanationDto,
  ) {
    return this.cleaning.explain(user, id, itemId, body.explanation);
  }

  /** The county accepts (closes) or rejects (back to the township) an explanation. */
  @Post('problems/:itemId/review')
  @HttpCode(200)
  @Roles('county')
  @Answers(api.problemStatusSchema)
  @ApiErrors(409)
  review(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Param('itemId', uuid) itemId: string,
    @Body() body: ReviewDto,
  ) {
    return this.cleaning.review(user, id, itemId, body.accept, body.comment);
  }

  /** The province's problem list (XLSX: 户编号, 问题, 问题描述), routed to the townships. */
  @Post('province-problems')
  @HttpCode(200)
  @Roles('county')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  // To disk (the module's storage), parsed in a child process: never held whole in the registry's memory.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_PROVINCE_FILE, files: 1 } }))
  @Answers(api.provinceImportSchema)
  @ApiErrors(409)
  province(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    if (!file) throw invalid('file', '请上传省级反馈问题清单 (XLSX)');
    return this.provinceList.importProvince(user, id, file.path).finally(() => rm(file.path, { force: true }));
  }
}
