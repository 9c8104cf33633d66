import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EligibilityApiController } from './eligibility.api.controller';
import { EligibilityController } from './eligibility.controller';
import { EligibilityRefusal } from './eligibility-refusal.entity';
import { EligibilityService } from './eligibility.service';
import { OperatorChatLoad } from './operator-chat-load.entity';
import { OutageNoticesModule } from '../outages/outage-notices.module';

/** Proactive-call eligibility: rules per campaign, checked at dispatch, counted. */
@Module({
  imports: [TypeOrmModule.forFeature([EligibilityRefusal, OperatorChatLoad]), OutageNoticesModule],
  controllers: [EligibilityApiController, EligibilityController],
  providers: [EligibilityService],
  exports: [EligibilityService],
})
export class EligibilityModule {}
