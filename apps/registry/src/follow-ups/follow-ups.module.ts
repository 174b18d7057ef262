import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { CaseRecordsModule } from '../procedures/case-records.module';
import { CoverageController } from './coverage.controller';
import { FollowUpCoverage } from './follow-up-coverage';
import { FollowUpCoverageStore } from './follow-up-coverage.store';

/** One live follow-up for every household that needs one (the sweep), and its coverage figures. */
@Module({
  imports: [CoreModule, CaseRecordsModule],
  controllers: [CoverageController],
  providers: [FollowUpCoverage, FollowUpCoverageStore],
  exports: [FollowUpCoverage],
})
export class FollowUpsModule {}
