import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { Public } from '../auth/decorators';
import { JetStreamService } from '../nats/jetstream.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { PG_POOL } from '../tokens';
import { Answers } from '../http/api-responses';

const live = z.object({ status: z.literal('ok') });
const ready = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ database: z.boolean(), nats: z.boolean(), temporal: z.boolean() }),
});

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly jetStream: JetStreamService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The process is up. */
  @Get('live')
  @HttpCode(200)
  @Answers(live)
  live() {
    return { status: 'ok' };
  }

  /** Database, NATS and Temporal all answer; 503 names the ones that do not. */
  @Get('ready')
  @Answers(ready, 200, 'Ready')
  @Answers(ready, 503, 'Not ready: `checks` says which engine does not answer')
  async ready(@Res({ passthrough: true }) res: Response) {
    const [database, nats, temporal] = await Promise.all([
      this.pool
        .query('SELECT 1')
        .then(() => true)
        .catch(() => false),
      this.jetStream.ping(),
      this.temporal.ping(),
    ]);
    const checks = { database, nats, temporal };
    const ok = database && nats && temporal;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
