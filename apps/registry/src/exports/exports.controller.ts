import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnswersFile, CurrentUser, JurisdictionFrom, Roles, type AuthUser } from '@jingzhun/platform';
import { HouseholdListQueryDto } from '../households/household.dto';
import { CaseListQueryDto, TaskListQueryDto } from '../procedures/procedure.dto';
import { ListExports } from './list-exports';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 导出: each list as the officer filtered it, as an XLSX (the same filters, jurisdiction and masking
 * as the list; no ID number below the county, masked at the county).
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ListExports) {}

  @Get('households.xlsx')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  @ApiProduces(XLSX)
  @AnswersFile(XLSX, 'The households list as filtered')
  async households(@CurrentUser() user: AuthUser, @Query() q: HouseholdListQueryDto, @Res() res: Response) {
    send(res, '农户', await this.exports.households(user, q));
  }

  @Get('cases.xlsx')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @JurisdictionFrom('query.regionCode')
  @ApiProduces(XLSX)
  @AnswersFile(XLSX, 'The cases list as filtered')
  async cases(@CurrentUser() user: AuthUser, @Query() q: CaseListQueryDto, @Res() res: Response) {
    send(res, '案件', await this.exports.cases(user, q));
  }

  @Get('tasks.xlsx')
  @Roles('village', 'helper', 'township', 'county')
  @ApiProduces(XLSX)
  @AnswersFile(XLSX, 'My open tasks as filtered')
  async tasks(@CurrentUser() user: AuthUser, @Query() q: TaskListQueryDto, @Res() res: Response) {
    send(res, '待办', await this.exports.tasks(user, q));
  }
}

function send(res: Response, name: string, xlsx: Buffer): void {
  const stamp = new Date().toISOString().slice(0, 10);
  res
    .status(200)
    .setHeader('Content-Type', XLSX)
    .setHeader(
      'Content-Disposition',
      `attachment; filename="export-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${name}-${stamp}.xlsx`)}`,
    )
    .send(xlsx);
}
