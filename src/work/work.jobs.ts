import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { LeasesService } from './leases.service';
import { WrapUpService } from './wrap-up.service';

/**
 * Gives back contacts whose operator's page stopped renewing the lease, and confirms the
 * wrap-up status of calls ended and not confirmed in time. Several instances may run them
 * at once: expired leases are claimed with SKIP LOCKED, a wrap-up locks its lease, so each
 * is done once.
 */
@Injectable()
export class WorkJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly leases: LeasesService,
    private readonly wrapUps: WrapUpService,
  ) {}

  @Interval('lease-expiry', 15_000)
  releaseExpiredLeases(): Promise<void> {
    return this.jobs.run('lease-expiry', () => this.leases.releaseExpired());
  }

  /** Every second, so that the page that counted down to zero moves on at once. */
  @Interval('wrap-up', 1_000)
  applyDueWrapUps(): Promise<void> {
    return this.jobs.run('wrap-up', () => this.wrapUps.applyDue(), {
      done: 'wrap-up statuses confirmed',
    });
  }
}
