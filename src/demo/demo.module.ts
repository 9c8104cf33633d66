import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { DemoSeedService } from './demo-seed.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [DemoSeedService, PasswordHasher],
})
export class DemoModule {}
