import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { ExportsController } from './exports.controller';
import { ListExports } from './list-exports';

/** The lists as XLSX (households, cases, tasks), read through the same queries as their pages. */
@Module({ imports: [HouseholdsModule, ProceduresModule], controllers: [ExportsController], providers: [ListExports] })
export class ExportsModule {}
