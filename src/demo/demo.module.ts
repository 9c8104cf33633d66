import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { DemoSeedService } from './demo-seed.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), ContactQueueModule],
  providers: [DemoSeedService, PasswordHasher],
})
export class DemoModule {}
