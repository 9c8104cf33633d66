import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { EligibilityApiController } from './eligibility.api.controller';
import { EligibilityController } from './eligibility.controller';
import { EligibilityRefusal } from './eligibility-refusal.entity';
import { EligibilityService } from './eligibility.service';
import { IneligibleContacts } from './ineligible-contacts';
import { OperatorChatLoad } from './operator-chat-load.entity';

/** Proactive-call eligibility: rules per campaign, checked at dispatch, counted. */
@Module({
  imports: [TypeOrmModule.forFeature([EligibilityRefusal, OperatorChatLoad]), ContactQueueModule],
  controllers: [EligibilityApiController, EligibilityController],
  providers: [EligibilityService, IneligibleContacts],
  exports: [EligibilityService, IneligibleContacts],
})
export class EligibilityModule {}
