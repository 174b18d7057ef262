import { api } from '@jingzhun/contracts';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { CurrentUser, notFound, type AuthUser, Answers, uuidParamPipe } from '@jingzhun/platform';
import { InboxStore } from './inbox.store';

class InboxQueryDto extends createZodDto(
  z.object({
    unread: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  }),
) {}

const uuid = uuidParamPipe();

/** Each user's own inbox: nobody reads another's. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class InboxController {
  constructor(private readonly inbox: InboxStore) {}

  @Get()
  @Answers(api.notificationPageSchema)
  async list(@CurrentUser() user: AuthUser, @Query() q: InboxQueryDto) {
    const { total, unread, rows } = await this.inbox.page(user.id, q);
    return {
      items: rows.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        createdAt: n.createdAt,
        readAt: n.readAt,
        channels: n.deliveries,
      })),
      total,
      unread,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  @Get('unread-count')
  @Answers(api.unreadCountSchema)
  async unreadCount(@CurrentUser() user: AuthUser) {
    return { unread: await this.inbox.unread(user.id) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @Answers(api.notificationReadSchema)
  async read(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    const read = await this.inbox.markRead(user.id, id);
    if (!read) throw notFound('通知', id);
    return { id, readAt: read.readAt };
  }
}
