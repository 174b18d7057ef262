import { api, CommonError } from '@jingzhun/contracts';
import {
  Controller,
  Get,
  Inject,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { z } from 'zod';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import type { RegistryConfig } from '@jingzhun/platform';
import {
  assertJurisdiction,
  CONFIG,
  CurrentUser,
  DomainException,
  notFound,
  Roles,
  withinJurisdiction,
  type AuthUser,
  Answers,
  AnswersFile,
  uuidParamPipe,
} from '@jingzhun/platform';
import { errorReportXlsx } from './error-report';
import { HouseholdImporter } from './household-importer';
import { ImportStore, type ImportJobRow } from './import.store';
import { parseUpload } from './parse-upload';
import { importColumns, importTemplateXlsx } from './import-template';

const columnSchema = z.object({
  key: z.string(),
  header: z.string(),
  required: z.enum(['person', 'head']).nullable(),
  note: z.string().nullable(),
  values: z.array(z.string()),
});

@ApiTags('imports')
@ApiBearerAuth()
@Roles('county', 'admin')
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly importer: HouseholdImporter,
    private readonly jobs: ImportStore,
    @Inject(CONFIG) private readonly config: RegistryConfig,
  ) {}

  /**
   * Upload a CSV or XLSX (multipart field `file`). Answers 202 with the job to poll at
   * GET /imports/:id; with `?wait=true` answers 200 with the finished report.
   */
  @Post('households')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiQuery({
    name: 'wait',
    required: false,
    enum: ['true', 'false'],
    description: 'true: answer 200 with the finished report instead of 202 with the job',
  })
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file'))
  @Answers(api.importStartedSchema, 202, 'Accepted: poll progressUrl')
  @Answers(api.importReportSchema, 200, '?wait=true: the finished report')
  async importHouseholds(
    @CurrentUser() user: AuthUser,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Query('wait') wait: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!file)
      throw new DomainException(400, CommonError.ValidationFailed, 'file: 请上传 CSV 或 XLSX 文件 (表单字段 file)', {
        issues: [{ path: 'file', message: 'required' }],
      });
    let rows: Awaited<ReturnType<typeof parseUpload>>;
    try {
      if (!/\.(csv|xlsx)$/i.test(file.originalname)) {
        throw new DomainException(400, CommonError.ValidationFailed, 'file: 只支持 .csv 或 .xlsx 文件', {
          issues: [{ path: 'file', message: 'must be .csv or .xlsx' }],
        });
      }
      const { IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS, IMPORT_PARSER_MEMORY_MB } = this.config;
      // Off the event loop, in a child process with a heap cap; the limits make a huge sheet a clear 400/413.
      rows = await parseUpload(
        file.path,
        file.originalname,
        {
          maxRows: IMPORT_MAX_ROWS,
          maxColumns: IMPORT_MAX_COLUMNS,
          maxCells: IMPORT_MAX_CELLS,
          maxSheetBytes: IMPORT_MAX_CELLS * 256,
        },
        IMPORT_PARSER_MEMORY_MB,
      );
    } finally {
      await rm(file.path, { force: true });
    }
    // Every row must lie in the caller's jurisdiction: a county cannot register another county's households.
    const outside = rows.find(
      (r) =>
        r.values.villageCode &&
        /^\d{12}$/.test(r.values.villageCode) &&
        !withinJurisdiction(user, r.values.villageCode),
    );
    if (outside) {
      throw new DomainException(
        403,
        CommonError.OutsideJurisdiction,
        `第 ${outside.row} 行的行政村 ${outside.values.villageCode} 不在您的管辖范围 (${user.regionCode}) 内`,
      );
    }
    const actor = { id: user.id, role: user.role, regionCode: user.regionCode };
    const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const importId = await this.importer.startJob(fileName, actor);
    const running = this.importer.run(rows, { actor, fileName, origin: 'import', importId });
    if (wait === 'true') {
      const report = await running;
      res.status(200);
      return { ...report, errors: report.errors.slice(0, 1000), errorReportUrl: `/imports/${importId}/errors.xlsx` };
    }
    running.catch(() => undefined); // failure is recorded on the job row
    return { id: importId, status: 'RUNNING', totalRows: rows.length, progressUrl: `/imports/${importId}` };
  }

  /** The import's columns: header, whether required (every row, or the head's row), what each takes. */
  @Get('columns')
  @Answers(z.array(columnSchema))
  columns() {
    return importColumns();
  }

  /** 导入模板: an XLSX with the header row and a sheet explaining each column and its allowed values. */
  @Get('template.xlsx')
  @AnswersFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'The import template')
  async template(@Res() res: Response) {
    const xlsx = await importTemplateXlsx();
    res
      .status(200)
      .setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="household-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('农户导入模板.xlsx')}`,
      )
      .send(xlsx);
  }

  @Get(':id')
  @Answers(api.importJobSchema)
  async job(@CurrentUser() user: AuthUser, @Param('id', uuidParamPipe('导入任务')) id: string) {
    const job = await this.load(user, id);
    return {
      id: job.id,
      fileName: job.file_name,
      status: job.status,
      totalRows: job.total_rows,
      okRows: job.ok_rows,
      errorRows: job.error_rows,
      progress: job.total_rows ? (job.ok_rows + job.error_rows) / job.total_rows : 0,
      startedBy: job.started_by,
      createdAt: job.created_at,
      finishedAt: job.finished_at,
      errors: job.errors.slice(0, 200),
      errorReportUrl: `/imports/${job.id}/errors.xlsx`,
    };
  }

  @Get(':id/errors.xlsx')
  @AnswersFile(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'The rows that failed, with their reasons',
  )
  async errors(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParamPipe('导入任务')) id: string,
    @Res() res: Response,
  ) {
    const job = await this.load(user, id);
    const buffer = await errorReportXlsx(job.file_name, job.errors);
    res
      .status(200)
      .setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader('Content-Disposition', `attachment; filename="import-errors-${id}.xlsx"`)
      .send(buffer);
  }

  private async load(user: AuthUser, id: string): Promise<ImportJobRow> {
    const job = await this.jobs.job(id);
    if (!job) throw notFound('导入任务', id);
    assertJurisdiction(user, job.region_code);
    return job;
  }
}
