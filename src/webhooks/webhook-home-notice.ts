import { Injectable, OnModuleInit } from '@nestjs/common';
import { HomeNotices } from '../home/home-notices';
import { WebhooksService } from './webhooks.service';

/** Tells admins on their home page that a webhook was paused for failing. */
@Injectable()
export class WebhookHomeNotice implements OnModuleInit {
  constructor(
    private readonly notices: HomeNotices,
    private readonly webhooks: WebhooksService,
  ) {}

  onModuleInit(): void {
    this.notices.register(async (user) => {
      if (user.role !== 'admin') return [];
      const paused = await this.webhooks.paused();
      return paused.map((endpoint) => ({
        text: 'webhooks.pausedBanner',
        args: { url: endpoint.url },
        href: '/webhooks',
      }));
    });
  }
}
