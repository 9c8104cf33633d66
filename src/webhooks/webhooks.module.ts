import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
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
    WebhookOutboxModule,
  ],
  controllers: [WebhooksApiController, WebhooksController],
  providers: [WebhooksService, WebhookSender, WebhooksJobs],
  exports: [WebhooksService, WebhookSender],
})
export class WebhooksModule {}
