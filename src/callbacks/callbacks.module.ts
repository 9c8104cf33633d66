import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { CallbackBookModule } from './callback-book.module';
import { CallbackEngine } from './callback-engine';
import { CallbackQueries } from './callback-queries';
import { Callback } from './callback.entity';
import { CallbacksApiController } from './callbacks.api.controller';
import { CallbacksController } from './callbacks.controller';
import { CallbacksJobs } from './callbacks.jobs';
import { CallbacksService } from './callbacks.service';
import { CoordinatorCallbackActions } from './coordinator-callback-actions';
import { ClosedTimeCallbacks } from './closed-time-callbacks';
import { CampaignsModule } from '../campaigns/campaigns.module';

/** The callback engine: due, escalation and expiry jobs, lists, pages, coordinators' actions. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Callback]),
    AuditModule,
    CallbackBookModule,
    CampaignsModule,
    ContactQueueModule,
  ],
  controllers: [CallbacksApiController, CallbacksController],
  providers: [
    CallbackQueries,
    CoordinatorCallbackActions,
    CallbackEngine,
    CallbacksService,
    CallbacksJobs,
    ClosedTimeCallbacks,
  ],
  exports: [CallbacksService],
})
export class CallbacksModule {}
