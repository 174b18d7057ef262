import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { HouseholdsModule } from '../households/households.module';
import { CaseRecordsModule } from '../procedures/case-records.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { RegionsModule } from '../regions/regions.module';
import { UploadsModule } from '../uploads.module';
import { CampaignActivitiesService } from './campaign-activities';
import { CampaignQueries } from './campaign-queries';
import { CampaignStore } from './campaign.store';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { CleaningController } from './cleaning.controller';
import { CleaningService } from './cleaning.service';
import { CleaningStore } from './cleaning.store';
import { ComparisonSheetsService } from './comparison-sheets.service';
import { ProvinceProblems } from './province-problems';
import { SummaryService } from './summary.service';
import { SummaryStore } from './summary.store';
import { VerificationStore } from './verification.store';
import { VerificationsService } from './verifications.service';
import { FindingRouting } from './finding-routing';

/** 年度动态调整: the dry run and start, door-to-door verifications, data cleaning, the summary. */
@Module({
  imports: [CoreModule, RegionsModule, CaseRecordsModule, HouseholdsModule, ProceduresModule, UploadsModule],
  controllers: [CampaignsController, CleaningController],
  providers: [
    CampaignStore,
    CampaignsService,
    CampaignQueries,
    CampaignActivitiesService,
    VerificationStore,
    VerificationsService,
    FindingRouting,
    ComparisonSheetsService,
    CleaningStore,
    CleaningService,
    ProvinceProblems,
    SummaryStore,
    SummaryService,
  ],
  exports: [CampaignActivitiesService],
})
export class CampaignsModule {}
