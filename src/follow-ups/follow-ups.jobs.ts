import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { FollowUpSender } from './follow-up-sender.service';

/**
 * Sends the follow-up outbox every 15 s. Every instance runs it; the sender claims each
 * e-mail with a conditional UPDATE, so an e-mail goes out once however many run.
 */
@Injectable()
export class FollowUpsJobs {
  private readonly logger = new Logger(FollowUpsJobs.name);
  private running = false;

  constructor(private readonly sender: FollowUpSender) {}

  @Interval('follow-up-sender', 15_000)
  async send(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const run = await this.sender.sendDue();
      if (run.sent + run.retried + run.failed > 0) this.logger.log(run, 'follow-up e-mails');
    } catch (error) {
      this.logger.error({ err: error }, 'follow-up sender failed');
    } finally {
      this.running = false;
    }
  }
}
