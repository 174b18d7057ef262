import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@jingzhun/contracts';
import { PlatformModule, USER_DIRECTORY, type RegistryConfig } from '@jingzhun/platform';
import { RegistryUserDirectoryStore } from './auth/user-directory.store';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CoreModule } from './core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { ExportsModule } from './exports/exports.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { HouseholdsModule } from './households/households.module';
import { ImportsModule } from './imports/imports.module';
import { TriageIntake } from './monitoring/triage-intake';
import { TriageModule } from './monitoring/triage.module';
import { CaseRecordsModule } from './procedures/case-records.module';
import { ProceduresModule } from './procedures/procedures.module';
import { RegistryWorker } from './procedures/registry-worker';
import { RegionsModule } from './regions/regions.module';
import { REGISTRY_SCHEMA } from './registry.config';

export const REGISTRY_API = {
  title: '精准 Jingzhun — registry',
  description: '扶贫对象动态管理: 区划、户、成员、收入核算、帮扶措施、导入与审计',
};

/**
 * The registry, one feature module per room; each exports only what another uses, so the imports below
 * say what depends on what: core ← regions ← case records ← follow-ups ← households ← procedures ←
 * campaigns, with imports, exports and the dashboard beside them.
 */
@Module({})
export class RegistryModule {
  /** `worker: false` leaves out the Temporal activity worker and the triage intake (CLI commands: seed, import). */
  static forRoot(config: RegistryConfig, options: { worker?: boolean } = {}): DynamicModule {
    const worker = options.worker !== false;
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
        CoreModule,
        RegionsModule,
        CaseRecordsModule,
        TriageModule,
        FollowUpsModule,
        HouseholdsModule,
        ProceduresModule,
        CampaignsModule,
        ImportsModule,
        ExportsModule,
        DashboardModule,
      ],
      // The worker hosts every room's activities; the intake records the monitoring service's triage items.
      providers: worker ? [RegistryWorker, TriageIntake] : [],
      exports: [CoreModule, ImportsModule, ProceduresModule, FollowUpsModule],
    };
  }
}
