import { api } from '@jingzhun/contracts';
import { z } from 'zod';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  Answers,
  AnswersFile,
  ApiErrors,
  CurrentUser,
  IdempotencyKey,
  JurisdictionFrom,
  Roles,
  invalid,
  type AuthUser,
  uuidParamPipe,
} from '@jingzhun/platform';
import { CaseEvidence } from './case-evidence';
import { CaseQueries } from './case-queries';
import { CasesService } from './cases.service';
import { NoticesService } from './notices.service';
import {
  CaseListQueryDto,
  CaseStartDto,
  DecisionDto,
  EvidenceQueryDto,
  NoticeListQueryDto,
  ObjectionDto,
  PreflightQueryDto,
  TaskListQueryDto,
} from './procedure.dto';
import { TasksService } from './tasks.service';

const uuid = uuidParamPipe();

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly queries: CaseQueries,
    private readonly evidence: CaseEvidence,
  ) {}

  /** Starts a procedure → `{ id, workflowId, status, step }`. */
  @Post()
  @Roles('village', 'township', 'county')
  @JurisdictionFrom('body.regionCode')
  @Answers(api.caseStartedSchema, 201, 'Opened; its workflow has started')
  @ApiErrors(409, 503)
  start(@CurrentUser() user: AuthUser, @Body() body: CaseStartDto) {
    return this.cases.start(user, body);
  }

  @Get()
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  @Answers(api.casePageSchema)
  list(@CurrentUser() user: AuthUser, @Query() q: CaseListQueryDto) {
    return this.queries.list(user, q);
  }

  /**
   * 发起前核对: what starting this procedure for this household would meet, as a pass/fail list with
   * the figures — the form shows it (and offers to record the year's assessment) before the officer submits.
   */
  @Get('preflight')
  @Roles('village', 'township', 'county')
  @Answers(api.casePreflightSchema)
  preflight(@CurrentUser() user: AuthUser, @Query() q: PreflightQueryDto) {
    return this.evidence.preflight(user, q);
  }

  /** Status, current step, due date, every task and notice, and the full timeline. */
  @Get(':id')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.caseDetailSchema)
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.queries.get(user, id);
  }

  /**
   * 决定依据: what the law asks the level deciding the step to check (the procedure catalogue's duty),
   * on the household's live facts — the eligibility rules pass/fail with the figures, the year's
   * assessment against the line, the member changes, each objection and its finding, every decision.
   */
  @Get(':id/evidence')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.caseEvidenceSchema)
  evidenceOf(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() q: EvidenceQueryDto) {
    return this.evidence.of(user, id, q.step);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** The caller's inbox by role and region, oldest due first. */
  @Get()
  @Roles('village', 'helper', 'township', 'county')
  @Answers(api.inboxPageSchema)
  inbox(@CurrentUser() user: AuthUser, @Query() q: TaskListQueryDto) {
    return this.tasks.inbox(user, q);
  }

  /** Decides; answers with the case's new state once the workflow has applied the decision. */
  @Post(':id/decision')
  @HttpCode(200)
  @Roles('village', 'helper', 'township', 'county')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeating a request with the same key returns the first result',
  })
  @Answers(api.caseStateSchema, 200, 'Applied; the case as its workflow now holds it')
  @ApiErrors(409, 422, 503)
  decide(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() body: DecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    if (key !== undefined && !/^[\w.:-]{8,128}$/.test(key))
      throw invalid('Idempotency-Key', '应为8到128位字母、数字或 . _ : -');
    return this.tasks.decide(user, id, body, key);
  }
}

@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(z.array(api.noticeSchema))
  list(@CurrentUser() user: AuthUser, @Query() q: NoticeListQueryDto) {
    return this.notices.list(user, q);
  }

  /** The printable notice: a PDF with an embedded Chinese font; it carries no ID number, phone or bank account. */
  @Get(':id/pdf')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @ApiProduces('application/pdf')
  @AnswersFile('application/pdf', 'The notice, printable (embedded Chinese font)')
  async pdf(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Res() res: Response) {
    const { fileName, pdf } = await this.notices.pdf(user, id);
    res
      .status(200)
      .setHeader('Content-Type', 'application/pdf')
      .setHeader('Content-Disposition', `inline; filename="${fileName}"`)
      .send(pdf);
  }

  /** Records an objection received during the notice; the procedure opens its verification. */
  @Post(':id/objections')
  @Roles('village', 'township', 'county')
  @Answers(api.objectionFiledSchema, 201)
  @ApiErrors(409)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A double submit with the same key records one objection and answers the first result',
  })
  object(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() body: ObjectionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.notices.object(user, id, body, key);
  }
}
