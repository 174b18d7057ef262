import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@jingzhun/contracts';
import { PlatformModule, type RegistryConfig } from '@jingzhun/platform';
import { AuthController } from './auth/auth.controller';
import { HouseholdsController } from './households/households.controller';
import { HouseholdsService } from './households/households.service';
import { IdNumberVault } from './id-numbers/id-number-vault';
import { ImportsController } from './imports/imports.controller';
import { HouseholdImporter } from './imports/household-importer';
import { Journal } from './journal/journal';
import { PrismaService } from './prisma/prisma.service';
import { REGISTRY_SCHEMA } from './registry.config';
import { RegionsController } from './regions/regions.controller';
import { RegionsService } from './regions/regions.service';
import { UsersController } from './users/users.controller';

export const REGISTRY_API = {
  title: '精准 Jingzhun — registry',
  description: '扶贫对象动态管理: 区划、户、成员、收入核算、帮扶措施、导入与审计',
};

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        PlatformModule.forService({
          service: { name: 'registry', schema: REGISTRY_SCHEMA },
          config,
          streams: [Streams.registry, Streams.deadLetters],
          outbox: true,
        }),
      ],
      controllers: [AuthController, UsersController, RegionsController, HouseholdsController, ImportsController],
      providers: [PrismaService, IdNumberVault, Journal, HouseholdsService, RegionsService, HouseholdImporter],
      exports: [PrismaService, IdNumberVault, HouseholdImporter],
    };
  }
}
