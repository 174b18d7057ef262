import { PhotoStore } from '../photos/photo.store';
import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { RegionsModule } from '../regions/regions.module';
import { AnnouncementStore } from './announcement.store';
import { CaseStore } from './case.store';
import { InboxStore } from './inbox.store';
import { NoticeStore } from './notice.store';
import { TaskStore } from './task.store';
import { VisitStore } from './visit.store';
import { WorkflowStarter } from './workflow-starter';

/**
 * The procedures' records (cases, tasks, notices, visits, announcements, the inbox's reads) and the
 * starting of their workflows: what households, follow-ups, campaigns and the dashboard read or start.
 */
const RECORDS = [
  CaseStore,
  TaskStore,
  NoticeStore,
  VisitStore,
  InboxStore,
  AnnouncementStore,
  WorkflowStarter,
  PhotoStore,
];

@Module({ imports: [CoreModule, RegionsModule], providers: RECORDS, exports: RECORDS })
export class CaseRecordsModule {}
