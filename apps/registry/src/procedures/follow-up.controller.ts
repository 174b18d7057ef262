import { api, HouseholdError, CommonError } from '@jingzhun/contracts';
import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { isCadence } from '@jingzhun/domain';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { cadenceChangedSignal, followUpStateQuery } from '@jingzhun/contracts';
import {
  assertJurisdiction,
  conflict,
  CurrentUser,
  DomainException,
  forbidden,
  notFound,
  Roles,
  TemporalClientService,
  type AuthUser,
  Answers,
  ApiErrors,
  uuidParamPipe,
} from '@jingzhun/platform';
import { Journal } from '../journal/journal';
import { HouseholdStore } from '../households/household.store';
import { PrismaService } from '../prisma/prisma.service';
import { CaseStore } from './case.store';
import { VisitStore } from './visit.store';

const uuid = uuidParamPipe();

class CadenceDto extends createZodDto(
  z.object({
    // .max() keeps the document right: nestjs-zod 5.5 with zod ≥ 4.5 documents a bare nullable string as an array (nestjs-zod#473).
    cadence: z
      .string()
      .max(16)
      .refine(isCadence, '应为 ISO 8601 周期, 如 P1M (每月) 或 P3M (每季度)')
      .nullable()
      .describe('回访周期 (P1M, P3M …); null 恢复政策默认'),
    reason: z.string().trim().min(1, '请说明原因').max(300),
  }),
) {}

@ApiTags('follow-up')
@ApiBearerAuth()
@Controller('households')
export class FollowUpController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly households: HouseholdStore,
    private readonly cases: CaseStore,
    private readonly visits: VisitStore,
    private readonly temporal: TemporalClientService,
    private readonly journal: Journal,
  ) {}

  /** Changes this household's revisit cadence from its next cycle (signal `cadenceChanged`); audited. */
  @Put(':id/follow-up/cadence')
  @HttpCode(200)
  @Roles('township', 'county')
  @Answers(api.cadenceSetSchema)
  @ApiErrors(409, 503)
  async setCadence(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: CadenceDto) {
    const h = await this.households.find(id);
    if (!h) throw notFound('户', id);
    assertJurisdiction(user, h.villageCode);
    const open = await this.cases.findOpen(`follow_up/${id}`);
    if (!open) throw conflict(HouseholdError.NoFollowUp, '该户没有进行中的回访');
    try {
      await (await this.temporal.client()).workflow
        .getHandle(open.workflowId)
        .signal(cadenceChangedSignal, { cadence: body.cadence });
    } catch (err) {
      throw new DomainException(
        503,
        CommonError.WorkflowUnavailable,
        `流程引擎暂不可用, 请稍后重试 (${(err as Error).message})`,
      );
    }
    await this.prisma.$transaction((tx) =>
      this.journal.record(tx, user, {
        action: 'follow_up.cadence',
        entity: 'case',
        entityId: open.id,
        householdId: id,
        regionCode: h.villageCode,
        caseId: open.id,
        after: { cadence: body.cadence, reason: body.reason },
      }),
    );
    return { caseId: open.id, workflowId: open.workflowId, cadence: body.cadence, appliesFrom: 'next cycle' };
  }

  /** 回访: the running follow-up (next due date, overdue count, helper) and the visits so far, newest first. */
  @Get(':id/follow-up')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.followUpSchema)
  async followUp(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    const h = await this.households.find(id);
    if (!h) throw notFound('户', id);
    assertJurisdiction(user, h.villageCode);
    // A helper sees the follow-up of the households assigned to them, as with the households themselves.
    if (user.role === 'helper' && h.helperId !== user.id)
      throw forbidden(HouseholdError.NotAssignedHelper, '您不是该户的帮扶责任人');
    const open = await this.cases.findOpen(`follow_up/${id}`);
    const state = open
      ? await (await this.temporal.client()).workflow
          .getHandle(open.workflowId)
          .query(followUpStateQuery)
          .catch(() => null)
      : null;
    const visits = await this.visits.recent(id, 50);
    return {
      householdId: id,
      number: h.number,
      status: h.status,
      followUp: open
        ? {
            caseId: open.id,
            workflowId: open.workflowId,
            nextDueAt: state?.nextDueAt ?? open.dueAt,
            overdue: state?.overdue ?? false,
            overdueCount: state?.overdueCount ?? null,
            cycle: state?.cycle ?? null,
            helperId: state?.helperId ?? h.helperId,
            cadence: state?.cadence ?? null,
          }
        : null,
      visits: visits.map((v) => ({
        id: v.id,
        visitedAt: v.visitedAt,
        visitedBy: v.visitedBy,
        incomeChange: v.incomeChange,
        newRisks: v.newRisks,
        needs: v.needs,
        note: v.note,
        risky: v.risky,
        late: v.late,
      })),
    };
  }
}
