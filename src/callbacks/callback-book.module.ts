import { Module } from '@nestjs/common';
import { CallbackBook } from './callback-book';
import { CallbackScheduler } from './callback-scheduler';

/**
 * The callbacks' state, for every capability that changes it (the outcome, dispatch,
 * leases, inbound requests, the agenda): no imports, so any module may take it in.
 */
@Module({
  providers: [CallbackBook, CallbackScheduler],
  exports: [CallbackBook, CallbackScheduler],
})
export class CallbackBookModule {}
