import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { MetricsService } from './metrics.service';
import { CONFIG } from '../tokens';
import type { BaseConfig } from '../config/config.schema';
import { notFound } from '../errors/domain-exception';

/** Prometheus' scrape target. Not in the API documents; keep it off the public ingress (it names no person). */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(CONFIG) private readonly config: BaseConfig,
  ) {}

  @Get()
  async scrape(@Res() res: Response) {
    // With a metrics port of its own (production), not here on the API's port.
    if (this.config.METRICS_PORT !== undefined) throw notFound('路径', '/metrics');
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
