import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { UploadsModule } from '../uploads.module';
import { HouseholdImporter } from './household-importer';
import { ImportStore } from './import.store';
import { ImportsController } from './imports.controller';

/** The registry's import (the national household sheet): uploads, the parser pool, COPY batches, reports. */
@Module({
  imports: [CoreModule, FollowUpsModule, UploadsModule],
  controllers: [ImportsController],
  providers: [HouseholdImporter, ImportStore],
  exports: [HouseholdImporter],
})
export class ImportsModule {}
