import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CallbackBookModule } from '../callbacks/callback-book.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { ContactLeases } from '../work/contact-leases';
import { PrivacyApiController } from './privacy.api.controller';
import { PrivacyService } from './privacy.service';

/** The data protection officer's tools: a person's data found, handed over, erased. */
@Module({
  imports: [AuditModule, CallbackBookModule, ContactQueueModule, DoNotCallModule],
  controllers: [PrivacyApiController],
  providers: [PrivacyService, ContactLeases],
})
export class PrivacyModule {}
