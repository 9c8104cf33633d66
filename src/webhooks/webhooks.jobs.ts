import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { WebhookSender } from './webhook-sender.service';

/**
 * Delivers the webhook outbox every 2 s. Every instance runs it; the sender claims each
 * delivery with a conditional UPDATE, so an attempt is made once however many run.
 */
@Injectable()
export class WebhooksJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly sender: WebhookSender,
  ) {}

  @Interval('webhook-sender', 2_000)
  deliver(): Promise<void> {
    return this.jobs.run('webhook-sender', () => this.sender.deliverDue(), {
      done: 'webhook deliveries',
    });
  }

  @Interval('webhook-housekeeping', 3_600_000)
  forget(): Promise<void> {
    return this.jobs.run('webhook-housekeeping', () => this.sender.forgetDelivered(), {
      done: 'webhook deliveries forgotten',
    });
  }
}
