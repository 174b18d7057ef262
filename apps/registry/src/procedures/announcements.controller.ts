import { api, PROCEDURE_KINDS } from '@jingzhun/contracts';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionCodeSchema } from '@jingzhun/domain';
import { Answers, AnswersFile, CurrentUser, Roles, type AuthUser, uuidParamPipe } from '@jingzhun/platform';
import { AnnouncementsService } from './announcements.service';

const uuid = uuidParamPipe();

class AnnouncementListQueryDto extends createZodDto(
  z.object({
    regionCode: regionCodeSchema.optional(),
    kind: z.enum(PROCEDURE_KINDS).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  }),
) {}

@ApiTags('notices')
@ApiBearerAuth()
@Controller('announcements')
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementsService) {}

  /** 公告: the county's announcements of procedure results, newest first (beside the notices). */
  @Get()
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @Answers(api.announcementPageSchema)
  list(@CurrentUser() user: AuthUser, @Query() q: AnnouncementListQueryDto) {
    return this.announcements.list(user, q);
  }

  /** The printable announcement (PDF, embedded Chinese font); it names households by number only. */
  @Get(':id/pdf')
  @Roles('village', 'helper', 'township', 'county', 'admin')
  @ApiProduces('application/pdf')
  @AnswersFile('application/pdf', 'The announcement, printable (embedded Chinese font)')
  async pdf(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Res() res: Response) {
    const { fileName, pdf } = await this.announcements.pdf(user, id);
    res
      .status(200)
      .setHeader('Content-Type', 'application/pdf')
      .setHeader('Content-Disposition', `inline; filename="${fileName}"`)
      .send(pdf);
  }
}
