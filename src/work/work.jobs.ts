import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { LeasesService } from './leases.service';

/**
 * Gives back contacts whose operator's page stopped renewing the lease. Several instances
 * may run it at once: each claims expired leases with SKIP LOCKED, so every lease is
 * released once.
 */
@Injectable()
export class WorkJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly leases: LeasesService,
  ) {}

  @Interval('lease-expiry', 15_000)
  releaseExpiredLeases(): Promise<void> {
    return this.jobs.run('lease-expiry', () => this.leases.releaseExpired());
  }
}
