import { Module } from '@nestjs/common';
import { PhotosController } from '../photos/photos.controller';
import { PhotosService } from '../photos/photos.service';
import { CoreModule } from '../core.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { HouseholdsModule } from '../households/households.module';
import { TriageModule } from '../monitoring/triage.module';
import { RegionsModule } from '../regions/regions.module';
import { AnnouncementEffects } from './announcement-effects';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsService } from './announcements.service';
import { CaseEvidence } from './case-evidence';
import { CaseQueries } from './case-queries';
import { CaseRecordsModule } from './case-records.module';
import { CasesService } from './cases.service';
import { DecisionAuthority } from './decision-authority';
import { FollowUpController } from './follow-up.controller';
import { MemberChanges } from './member-changes';
import { MonitoringSupportActivities } from './monitoring-activities';
import { NoticesService } from './notices.service';
import { Preconditions } from './preconditions';
import { CasesController, NoticesController, TasksController } from './procedures.controller';
import { RegistryActivitiesService } from './registry-activities';
import { TasksService } from './tasks.service';
import { VerificationFindings } from './verification-findings';

/**
 * The legal procedures: starting a case (its eligibility checked), deciding its tasks, notices and
 * objections, announcements and their effects on the registry, the evidence beside a decision, and the
 * activities the workflows call.
 */
@Module({
  imports: [CoreModule, RegionsModule, CaseRecordsModule, TriageModule, FollowUpsModule, HouseholdsModule],
  controllers: [
    CasesController,
    TasksController,
    NoticesController,
    FollowUpController,
    AnnouncementsController,
    PhotosController,
  ],
  providers: [
    CasesService,
    CaseQueries,
    CaseEvidence,
    TasksService,
    NoticesService,
    AnnouncementsService,
    AnnouncementEffects,
    MemberChanges,
    Preconditions,
    DecisionAuthority,
    VerificationFindings,
    RegistryActivitiesService,
    MonitoringSupportActivities,
    PhotosService,
  ],
  exports: [CasesService, CaseQueries, TasksService, RegistryActivitiesService, MonitoringSupportActivities],
})
export class ProceduresModule {}
