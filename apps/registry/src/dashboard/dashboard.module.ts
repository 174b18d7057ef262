import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { CaseRecordsModule } from '../procedures/case-records.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { DashboardStore } from './dashboard.store';

/** 工作台: the figures of the caller's region and the work it owes. */
@Module({
  imports: [CoreModule, CaseRecordsModule],
  controllers: [DashboardController],
  providers: [DashboardStore, DashboardService],
})
export class DashboardModule {}
