import { Module } from '@nestjs/common';
import { AuthController } from '../auth/auth.controller';
import { CoreModule } from '../core.module';
import { UserStore } from '../users/user.store';
import { UsersController } from '../users/users.controller';
import { RegionStore } from './region.store';
import { RegionsController } from './regions.controller';
import { RegionsService } from './regions.service';

/** Regions (designations, statistics), users and sign-in. Others read regions and users through the stores. */
@Module({
  imports: [CoreModule],
  controllers: [AuthController, UsersController, RegionsController],
  providers: [RegionStore, RegionsService, UserStore],
  exports: [RegionStore, UserStore],
})
export class RegionsModule {}
