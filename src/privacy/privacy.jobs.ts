import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { RetentionService } from './retention.service';

/** Anonymises what campaigns no longer keep, hourly; every instance may run it (rows are claimed). */
@Injectable()
export class PrivacyJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly retention: RetentionService,
  ) {}

  @Interval('privacy-retention', 60 * 60_000)
  anonymise(): Promise<void> {
    return this.jobs.run('privacy-retention', () => this.retention.run(), {
      done: 'contacts anonymised (retention)',
    });
  }
}
