import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@jingzhun/contracts';
import { PlatformModule, USER_DIRECTORY, type RegistryConfig } from '@jingzhun/platform';
import { AuthController } from './auth/auth.controller';
import { HouseholdsController } from './households/households.controller';
import { HouseholdQueries } from './households/household-queries';
import { HouseholdsService } from './households/households.service';
import { ExportsController } from './exports/exports.controller';
import { ListExports } from './exports/list-exports';
import { PdfRenderer } from './pdf/pdf-renderer';
import { IdNumberVault } from './id-numbers/id-number-vault';
import { ImportsController } from './imports/imports.controller';
import { HouseholdImporter } from './imports/household-importer';
import { ImportStore } from './imports/import.store';
import { Journal } from './journal/journal';
import { PrismaService } from './prisma/prisma.service';
import { REGISTRY_SCHEMA } from './registry.config';
import { RegionsController } from './regions/regions.controller';
import { CampaignActivitiesService } from './campaigns/campaign-activities';
import { CampaignStore } from './campaigns/campaign.store';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignQueries } from './campaigns/campaign-queries';
import { CampaignsService } from './campaigns/campaigns.service';
import { CleaningController } from './campaigns/cleaning.controller';
import { CleaningService } from './campaigns/cleaning.service';
import { ProvinceProblems } from './campaigns/province-problems';
import { CleaningStore } from './campaigns/cleaning.store';
import { RegistryUserDirectoryStore } from './auth/user-directory.store';
import { SummaryService } from './campaigns/summary.service';
import { SummaryStore } from './campaigns/summary.store';
import { ComparisonSheetsService } from './campaigns/comparison-sheets.service';
import { VerificationStore } from './campaigns/verification.store';
import { VerificationsService } from './campaigns/verifications.service';
import { RegionStore } from './regions/region.store';
import { RegionsService } from './regions/regions.service';
import { UserStore } from './users/user.store';
import { RiskScanStore } from './households/risk-scan.store';
import { PolicyStore } from './procedures/policy.store';
import { IdempotencyStore } from './procedures/idempotency.store';
import { UsersController } from './users/users.controller';
import { CaseEvidence } from './procedures/case-evidence';
import { CaseQueries } from './procedures/case-queries';
import { CasesService } from './procedures/cases.service';
import { FollowUpCoverage } from './follow-ups/follow-up-coverage';
import { CoverageController } from './follow-ups/coverage.controller';
import { FollowUpCoverageStore } from './follow-ups/follow-up-coverage.store';
import { WorkflowStarter } from './procedures/workflow-starter';
import { AnnouncementsService } from './procedures/announcements.service';
import { AnnouncementStore } from './procedures/announcement.store';
import { AnnouncementsController } from './procedures/announcements.controller';
import { MemberChanges } from './procedures/member-changes';
import { MemberMovesStore } from './households/member-moves.store';
import { FollowUpController } from './procedures/follow-up.controller';
import { NoticesService } from './procedures/notices.service';
import { PolicyService } from './procedures/policy.service';
import { Preconditions } from './procedures/preconditions';
import { CasesController, NoticesController, TasksController } from './procedures/procedures.controller';
import { DecisionAuthority } from './procedures/decision-authority';
import { VerificationFindings } from './procedures/verification-findings';
import { HouseholdRecordsService } from './households/household-records.service';
import { TriageAlertStore } from './monitoring/triage-alert.store';
import { TriageIntake } from './monitoring/triage-intake';
import { RegistryActivitiesService } from './procedures/registry-activities';
import { HouseholdStore } from './households/household.store';
import { AnnouncementEffects } from './procedures/announcement-effects';
import { CaseStore } from './procedures/case.store';
import { NoticeStore } from './procedures/notice.store';
import { TaskStore } from './procedures/task.store';
import { VisitStore } from './procedures/visit.store';
import { MonitoringSupportActivities } from './procedures/monitoring-activities';
import { RegistryWorker } from './procedures/registry-worker';
import { TasksService } from './procedures/tasks.service';
import { InboxStore } from './procedures/inbox.store';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from './dashboard/dashboard.service';
import { DashboardStore } from './dashboard/dashboard.store';
import { MetricsStore } from './metrics/metrics.store';
import { RegistryMetrics } from './metrics/registry-metrics';

export const REGISTRY_API = {
  title: '精准 Jingzhun — registry',
  description: '扶贫对象动态管理: 区划、户、成员、收入核算、帮扶措施、导入与审计',
};

/** The upload directory (created when missing). */
function importTmpDir(config: RegistryConfig): string {
  const dir = config.IMPORT_TMP_DIR ?? join(tmpdir(), 'jingzhun-uploads');
  mkdirSync(dir, { recursive: true });
  return dir;
}

@Module({})
export class RegistryModule {
  /** `worker: false` leaves out the Temporal activity worker (CLI commands: seed, import). */
  static forRoot(config: RegistryConfig, options: { worker?: boolean } = {}): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        PlatformModule.forService({
          service: { name: 'registry', schema: REGISTRY_SCHEMA },
          config,
          streams: [Streams.registry, Streams.tasks, Streams.alerts, Streams.deadLetters],
          outbox: true,
          users: { provide: USER_DIRECTORY, useClass: RegistryUserDirectoryStore },
        }),
        // Uploads are streamed to disk (never held whole in memory), capped in size.
        MulterModule.register({
          storage: diskStorage({ destination: importTmpDir(config) }),
          limits: { fileSize: config.IMPORT_MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 10 },
        }),
      ],
      controllers: [
        DashboardController,
        AuthController,
        UsersController,
        RegionsController,
        HouseholdsController,
        ImportsController,
        CasesController,
        TasksController,
        NoticesController,
        FollowUpController,
        CoverageController,
        AnnouncementsController,
        CampaignsController,
        CleaningController,
        ExportsController,
      ],
      providers: [
        PrismaService,
        MetricsStore,
        RegistryMetrics,
        IdNumberVault,
        Journal,
        HouseholdsService,
        HouseholdQueries,
        ListExports,
        PdfRenderer,
        HouseholdRecordsService,
        HouseholdStore,
        RiskScanStore,
        RegionStore,
        RegionsService,
        UserStore,
        PolicyStore,
        IdempotencyStore,
        HouseholdImporter,
        ImportStore,
        PolicyService,
        Preconditions,
        RegistryActivitiesService,
        DecisionAuthority,
        VerificationFindings,
        TriageAlertStore,
        ...(options.worker === false ? [] : [TriageIntake]),
        TaskStore,
        CaseStore,
        NoticeStore,
        VisitStore,
        AnnouncementEffects,
        CasesService,
        CaseQueries,
        CaseEvidence,
        TasksService,
        InboxStore,
        DashboardStore,
        DashboardService,
        NoticesService,
        FollowUpCoverage,
        FollowUpCoverageStore,
        WorkflowStarter,
        AnnouncementsService,
        AnnouncementStore,
        MemberChanges,
        MemberMovesStore,
        CampaignStore,
        CampaignsService,
        CampaignQueries,
        CampaignActivitiesService,
        VerificationStore,
        VerificationsService,
        ComparisonSheetsService,
        CleaningStore,
        CleaningService,
        ProvinceProblems,
        SummaryStore,
        SummaryService,
        MonitoringSupportActivities,
        ...(options.worker === false ? [] : [RegistryWorker]),
      ],
      exports: [
        PrismaService,
        IdNumberVault,
        HouseholdImporter,
        CasesService,
        FollowUpCoverage,
        MonitoringSupportActivities,
      ],
    };
  }
}
