import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignConfigModule } from '../campaigns/campaign-config.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { FollowUpEmail } from './follow-up-email.entity';
import { FollowUpQueue } from './follow-up-queue';
import { FollowUpSender } from './follow-up-sender.service';
import { FollowUpTemplate } from './follow-up-template.entity';
import { FollowUpTemplatesService } from './follow-up-templates.service';
import { FollowUpsApiController } from './follow-ups.api.controller';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsJobs } from './follow-ups.jobs';
import { FollowUpsService } from './follow-ups.service';
import { OutcomeFollowUps } from './outcome-follow-ups';
import { UnreachedContactHooks } from './unreached-contact-hooks';

/** Follow-up e-mails: templates per outcome status and reason, the outbox and its sender. */
@Module({
  imports: [
    TypeOrmModule.forFeature([FollowUpTemplate, FollowUpEmail]),
    ContactQueueModule,
    CampaignConfigModule,
  ],
  controllers: [FollowUpsApiController, FollowUpsController],
  providers: [
    FollowUpTemplatesService,
    FollowUpQueue,
    UnreachedContactHooks,
    OutcomeFollowUps,
    FollowUpSender,
    FollowUpsService,
    FollowUpsJobs,
  ],
  exports: [
    OutcomeFollowUps,
    FollowUpQueue,
    UnreachedContactHooks,
    FollowUpSender,
    FollowUpTemplatesService,
  ],
})
export class FollowUpsModule {}
