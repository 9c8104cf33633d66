import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { CallbackBook } from './callback-book';
import { CallbackScheduler } from './callback-scheduler';

/**
 * The callbacks' state, for every capability that changes it (the outcome, dispatch,
 * leases, inbound requests, the agenda). It imports only what a replaced callback writes
 * (an audit line, its contact's queue state), modules that import nothing of these.
 */
@Module({
  imports: [AuditModule, ContactQueueModule],
  providers: [CallbackBook, CallbackScheduler],
  exports: [CallbackBook, CallbackScheduler],
})
export class CallbackBookModule {}
