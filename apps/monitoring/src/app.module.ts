import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@jingzhun/contracts';
import { PlatformModule, RegistryUserDirectory, USER_DIRECTORY, type MonitoringConfig } from '@jingzhun/platform';
import { AlertsController } from './alerts.controller';
import { AlertIntake } from './alert-intake';
import { AlertStore } from './alert.store';
import { RiskRuleStore } from './risk-rule.store';
import { ScanStore } from './scan.store';
import { AlertsService } from './alerts.service';
import { MONITORING_SCHEMA } from './monitoring.config';
import { MonitoringWorker } from './monitoring-worker';
import { MonitoringPrisma } from './prisma.service';
import { RiskRules } from './risk-rules';
import { ScanActivities } from './scans';

export const MONITORING_API = {
  title: '精准 Jingzhun — monitoring',
  description: '防返贫动态监测: 部门预警接收、风险规则、月度排查、研判',
};

@Module({})
export class MonitoringModule {
  static forRoot(config: MonitoringConfig): DynamicModule {
    return {
      module: MonitoringModule,
      imports: [
        PlatformModule.forService({
          service: { name: 'monitoring', schema: MONITORING_SCHEMA },
          config,
          streams: [Streams.alerts, Streams.deadLetters],
          outbox: true,
          users: { provide: USER_DIRECTORY, useValue: new RegistryUserDirectory(config.REGISTRY_URL) },
        }),
      ],
      controllers: [AlertsController],
      providers: [
        MonitoringPrisma,
        AlertStore,
        RiskRuleStore,
        ScanStore,
        RiskRules,
        AlertsService,
        AlertIntake,
        ScanActivities,
        MonitoringWorker,
      ],
      exports: [MonitoringPrisma, AlertsService, ScanActivities, RiskRules],
    };
  }
}
