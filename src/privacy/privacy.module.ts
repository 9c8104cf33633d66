import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CallbackBookModule } from '../callbacks/callback-book.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { FrequencyCapModule } from '../frequency-cap/frequency-cap.module';
import { ContactLeases } from '../work/contact-leases';
import { ContactAnonymiser } from './contact-anonymiser';
import { PrivacyApiController } from './privacy.api.controller';
import { PrivacyJobs } from './privacy.jobs';
import { PrivacyService } from './privacy.service';
import { RetentionRule } from './retention-rule.entity';
import { RetentionApiController } from './retention.api.controller';
import { RetentionService } from './retention.service';

/** The data protection officer's tools: a person's data found, handed over, erased; retention. */
@Module({
  imports: [
    TypeOrmModule.forFeature([RetentionRule]),
    AuditModule,
    CallbackBookModule,
    ContactQueueModule,
    DoNotCallModule,
    FrequencyCapModule,
  ],
  controllers: [PrivacyApiController, RetentionApiController],
  providers: [PrivacyService, RetentionService, ContactAnonymiser, ContactLeases, PrivacyJobs],
})
export class PrivacyModule {}
