import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { CaseRecordsModule } from '../procedures/case-records.module';
import { RegionsModule } from '../regions/regions.module';
import { HouseholdQueries } from './household-queries';
import { HouseholdRecordsService } from './household-records.service';
import { HouseholdStore } from './household.store';
import { HouseholdsController } from './households.controller';
import { HouseholdsService } from './households.service';
import { MemberMovesStore } from './member-moves.store';
import { RiskScanStore } from './risk-scan.store';

/** Households and members: registration, corrections, helpers, assessments and measures, the list and detail. */
@Module({
  imports: [CoreModule, RegionsModule, CaseRecordsModule, FollowUpsModule],
  controllers: [HouseholdsController],
  providers: [
    HouseholdStore,
    MemberMovesStore,
    RiskScanStore,
    HouseholdsService,
    HouseholdQueries,
    HouseholdRecordsService,
  ],
  exports: [HouseholdStore, MemberMovesStore, RiskScanStore, HouseholdQueries, HouseholdRecordsService],
})
export class HouseholdsModule {}
