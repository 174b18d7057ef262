import { DynamicModule, Module } from '@nestjs/common';
import { Streams } from '@jingzhun/contracts';
import { PlatformModule, RegistryUserDirectory, USER_DIRECTORY, type NotificationsConfig } from '@jingzhun/platform';
import { DigestService } from './digest';
import { Dispatcher } from './dispatcher';
import { InboxController } from './inbox.controller';
import { EventIntake } from './intake';
import { IntakeStore } from './intake.store';
import { NOTIFY_SCHEMA } from './notifications.config';
import { DeliveryStore } from './delivery.store';
import { InboxStore } from './inbox.store';
import { RecipientStore } from './recipient.store';
import { NotifyPrisma } from './prisma.service';
import { RecipientDirectory } from './recipients';

export const NOTIFICATIONS_API = {
  title: '精准 Jingzhun — notifications',
  description: '站内通知、短信与邮件提醒: 任务、公示、回访、预警; 免打扰时段; 每日汇总',
};

@Module({})
export class NotificationsModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        PlatformModule.forService({
          service: { name: 'notifications', schema: NOTIFY_SCHEMA },
          config,
          streams: [Streams.tasks, Streams.alerts, Streams.deadLetters],
          users: { provide: USER_DIRECTORY, useValue: new RegistryUserDirectory(config.REGISTRY_URL) },
        }),
      ],
      controllers: [InboxController],
      providers: [
        NotifyPrisma,
        RecipientStore,
        RecipientDirectory,
        InboxStore,
        DeliveryStore,
        EventIntake,
        IntakeStore,
        Dispatcher,
        DigestService,
      ],
      exports: [NotifyPrisma, EventIntake, Dispatcher, DigestService, RecipientDirectory],
    };
  }
}
