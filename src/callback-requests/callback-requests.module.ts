import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CallbackBookModule } from '../callbacks/callback-book.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { CallbackCapacity } from './callback-capacity.entity';
import { CallbackOfferDay } from './callback-offer-day.entity';
import { CallbackOfferSettings } from './callback-offer-settings.entity';
import { CallbackOfferController } from './callback-offer.controller';
import { CallbackOfferService } from './callback-offer.service';
import { CallbackRequest } from './callback-request.entity';
import { CallbackRequestsApiController } from './callback-requests.api.controller';
import { CallbackRequestsController } from './callback-requests.controller';
import { CallbackRequestsJobs } from './callback-requests.jobs';
import { CallbackRequestsService } from './callback-requests.service';
import { CallbackSlotLock } from './callback-slot-lock.entity';
import { CallbackWebSubmission } from './callback-web-submission.entity';
import { PublicCallbackController } from './public-callback.controller';
import { PublicCallbackService } from './public-callback.service';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';

/** Inbound callback offers: slots with capacity, callers' requests, their follow-up. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      CallbackOfferSettings,
      CallbackCapacity,
      CallbackSlotLock,
      CallbackRequest,
      CallbackOfferDay,
      CallbackWebSubmission,
    ]),
    AuditModule,
    CallbackBookModule,
    ContactQueueModule,
    DoNotCallModule,
    WebhookOutboxModule,
  ],
  controllers: [
    CallbackRequestsApiController,
    CallbackRequestsController,
    CallbackOfferController,
    PublicCallbackController,
  ],
  providers: [
    CallbackOfferService,
    CallbackRequestsService,
    CallbackRequestsJobs,
    PublicCallbackService,
  ],
  exports: [CallbackOfferService, CallbackRequestsService],
})
export class CallbackRequestsModule {}
