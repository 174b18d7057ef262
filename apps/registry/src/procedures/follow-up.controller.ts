import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { followUpStateQuery } from '@jingzhun/contracts';
import { assertJurisdiction, CurrentUser, notFound, Roles, TemporalClientService, type AuthUser } from '@jingzhun/platform';
import { PrismaService } from '../prisma/prisma.service';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('follow-up')
@ApiBearerAuth()
@Controller('households')
export class FollowUpController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** 回访: the running follow-up (next due date, overdue count, helper) and the visits so far, newest first. */
  @Get(':id/follow-up')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  async followUp(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    const h = await this.prisma.household.findUnique({ where: { id }, select: { id: true, number: true, villageCode: true, helperId: true, status: true } });
    if (!h) throw notFound('户', id);
    assertJurisdiction(user, h.villageCode);
    const open = await this.prisma.case.findUnique({ where: { openKey: `follow_up/${id}` } });
    const state = open ? await (await this.temporal.client()).workflow.getHandle(open.workflowId).query(followUpStateQuery).catch(() => null) : null;
    const visits = await this.prisma.visit.findMany({ where: { householdId: id }, orderBy: { visitedAt: 'desc' }, take: 50 });
    return {
      householdId: id,
      number: h.number,
      status: h.status,
      followUp: open ? { caseId: open.id, workflowId: open.workflowId, nextDueAt: state?.nextDueAt ?? open.dueAt, overdue: state?.overdue ?? false, overdueCount: state?.overdueCount ?? null, cycle: state?.cycle ?? null, helperId: state?.helperId ?? h.helperId, cadence: state?.cadence ?? null } : null,
      visits: visits.map((v) => ({ id: v.id, visitedAt: v.visitedAt, visitedBy: v.visitedBy, incomeChange: v.incomeChange, newRisks: v.newRisks, needs: v.needs, note: v.note, risky: v.risky, late: v.late })),
    };
  }
}
