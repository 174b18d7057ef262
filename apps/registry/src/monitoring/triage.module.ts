import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { TriageAlertStore } from './triage-alert.store';

/** The monitoring service's triage items as the registry keeps them (its eligibility reads them). */
@Module({ imports: [CoreModule], providers: [TriageAlertStore], exports: [TriageAlertStore] })
export class TriageModule {}
