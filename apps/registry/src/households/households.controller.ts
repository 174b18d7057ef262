import { api } from '@jingzhun/contracts';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  CurrentUser,
  IdempotencyKey,
  invalid,
  JurisdictionFrom,
  Roles,
  type AuthUser,
  Answers,
  ApiErrors,
  uuidParamPipe,
} from '@jingzhun/platform';
import {
  AssessmentInputDto,
  HelperAssignDto,
  HouseholdCreateDto,
  HouseholdListQueryDto,
  HouseholdUpdateDto,
  MeasureInputDto,
  MemberInputDto,
} from './household.dto';
import { HouseholdQueries } from './household-queries';
import { HouseholdsService } from './households.service';
import { HouseholdRecordsService } from './household-records.service';

const uuid = uuidParamPipe();

@ApiTags('households')
@ApiBearerAuth()
@Controller('households')
export class HouseholdsController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly queries: HouseholdQueries,
    private readonly records: HouseholdRecordsService,
  ) {}

  @Post()
  @Roles('village', 'county', 'admin')
  @JurisdictionFrom('body.villageCode')
  @Answers(api.householdDetailSchema, 201, 'Registered; the household as its detail page shows it')
  @ApiErrors(409)
  create(@CurrentUser() user: AuthUser, @Body() body: HouseholdCreateDto) {
    return this.households.create(user, body);
  }

  @Get()
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  @Answers(api.householdPageSchema)
  list(@CurrentUser() user: AuthUser, @Query() query: HouseholdListQueryDto) {
    return this.queries.list(user, query);
  }

  @Get(':id')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.householdDetailSchema)
  detail(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.queries.detail(user, id);
  }

  @Patch(':id')
  @Roles('village', 'county', 'admin')
  @Answers(api.householdDetailSchema)
  @ApiErrors(409)
  update(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: HouseholdUpdateDto) {
    return this.households.update(user, id, body);
  }

  @Get(':id/history')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.householdHistorySchema)
  history(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.queries.history(user, id);
  }

  @Post(':id/members')
  @Roles('village', 'county', 'admin')
  @Answers(api.memberAddedSchema, 201)
  @ApiErrors(409)
  addMember(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: MemberInputDto) {
    return this.households.addMember(user, id, body);
  }

  @Post(':id/assessments')
  @Roles('village', 'helper', 'county', 'admin')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'The same assessment sent again (a phone resending its outbox) answers the first result',
  })
  @Answers(api.assessmentSchema, 201)
  recordAssessment(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() body: AssessmentInputDto,
    @IdempotencyKey() key?: string,
  ) {
    if (key !== undefined && !/^[\w.:-]{8,128}$/.test(key))
      throw invalid('Idempotency-Key', '应为8到128位字母、数字或 . _ : -');
    return this.records.recordAssessment(user, id, body, key);
  }

  @Post(':id/measures')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.measureSchema, 201)
  addMeasure(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: MeasureInputDto) {
    return this.records.addMeasure(user, id, body);
  }

  @Put(':id/helper')
  @HttpCode(200)
  @Roles('village', 'township', 'county', 'admin')
  @Answers(api.householdDetailSchema)
  assignHelper(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: HelperAssignDto) {
    return this.households.assignHelper(user, id, body.helperId);
  }
}
