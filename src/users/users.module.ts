import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { FirstAdminService } from './first-admin.service';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UsersApiController } from './users.api.controller';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), CampaignsModule],
  controllers: [UsersController, UsersApiController],
  providers: [UsersService, FirstAdminService, PasswordHasher],
  exports: [UsersService, FirstAdminService, PasswordHasher],
})
export class UsersModule {}
