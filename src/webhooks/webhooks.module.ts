import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { HomeModule } from '../home/home.module';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookHomeNotice } from './webhook-home-notice';
import { WebhookOutboxModule } from './webhook-outbox.module';
import { WebhookSender } from './webhook-sender.service';
import { WebhooksApiController } from './webhooks.api.controller';
import { WebhooksController } from './webhooks.controller';
import { WebhooksJobs } from './webhooks.jobs';
import { WebhooksService } from './webhooks.service';

/** Webhooks: endpoints admins register, the sender that empties the outbox, the delivery log. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery]),
    AuditModule,
    HomeModule,
    WebhookOutboxModule,
  ],
  controllers: [WebhooksApiController, WebhooksController],
  providers: [WebhooksService, WebhookSender, WebhooksJobs, WebhookHomeNotice],
  exports: [WebhooksService, WebhookSender],
})
export class WebhooksModule {}
