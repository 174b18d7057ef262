import { api } from '@jingzhun/contracts';
import { offlineRecordFields, PHOTO_LABELS, PHOTO_MAX_BYTES } from '@jingzhun/domain';
import { Controller, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Answers, AnswersFile, ApiErrors, CurrentUser, Roles, type AuthUser, uuidParamPipe } from '@jingzhun/platform';
import { PhotosService, photoTooLarge } from './photos.service';

const uuid = uuidParamPipe();

class PhotoQueryDto extends createZodDto(
  z.object({
    label: z.enum(PHOTO_LABELS, `label 应为: ${PHOTO_LABELS.join('、')}`).default('其他'),
    takenAt: offlineRecordFields.recordedAt,
  }),
) {}

/** The request's body, at most `limit` bytes: past it 413 before the rest is read into memory. */
async function bodyOf(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw photoTooLarge(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw photoTooLarge(size);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Photos of evidence (#24): uploaded under the phone's own id, read by who may read the household. */
@ApiTags('photos')
@ApiBearerAuth()
@Controller()
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  /** Stores one photo (JPEG, PNG or WebP by content, ≤ 500 kB); the same id and bytes again answer the same photo. */
  @Put('households/:householdId/photos/:photoId')
  @Roles('village', 'helper', 'township', 'county')
  @ApiConsumes('image/jpeg', 'image/png', 'image/webp')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @Answers(api.photoSchema, 200, 'Stored (or the same photo stored before under this id)')
  @ApiErrors(409, 413, 415)
  async upload(
    @CurrentUser() user: AuthUser,
    @Param('householdId', uuid) householdId: string,
    @Param('photoId', uuid) photoId: string,
    @Query() q: PhotoQueryDto,
    @Req() req: Request,
  ) {
    // Not parsed by the JSON parser (an image type): read here, bounded.
    return this.photos.upload(user, householdId, photoId, q, await bodyOf(req, PHOTO_MAX_BYTES));
  }

  /** The photo's bytes, for the case page and the review drawer; private to the user's browser. */
  @Get('photos/:id')
  @Roles('village', 'helper', 'township', 'county')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @AnswersFile('image/jpeg', 'The photo (its stored type)')
  async bytes(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Res() res: Response) {
    const p = await this.photos.bytes(user, id);
    res
      .status(200)
      .setHeader('Content-Type', p.contentType)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Cache-Control', 'private, max-age=86400, immutable')
      .setHeader('ETag', `"${p.sha256}"`)
      .send(Buffer.from(p.bytes));
  }

  /** The photos recorded with a case's visits and verifications. */
  @Get('cases/:id/photos')
  @Roles('village', 'helper', 'township', 'county')
  @Answers(z.array(api.photoSchema))
  ofCase(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.photos.ofCase(user, id);
  }
}
