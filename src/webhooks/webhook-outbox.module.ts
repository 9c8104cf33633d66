import { Module } from '@nestjs/common';
import { CampaignConfigModule } from '../campaigns/campaign-config.module';
import { WebhookOutbox } from './webhook-outbox';

/** The webhook outbox alone, for the capabilities whose transactions cause events. */
@Module({
  imports: [CampaignConfigModule],
  providers: [WebhookOutbox],
  exports: [WebhookOutbox],
})
export class WebhookOutboxModule {}
