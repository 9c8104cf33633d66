import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { FollowUpSender } from './follow-up-sender.service';

/**
 * Sends the follow-up outbox every 15 s. Every instance runs it; the sender claims each
 * e-mail with a conditional UPDATE, so an e-mail goes out once however many run.
 */
@Injectable()
export class FollowUpsJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly sender: FollowUpSender,
  ) {}

  @Interval('follow-up-sender', 15_000)
  send(): Promise<void> {
    return this.jobs.run('follow-up-sender', () => this.sender.sendDue(), {
      done: 'follow-up e-mails',
    });
  }
}
