import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { CtiService } from './cti.service';

/** Applies the wrap-up status of calls ended and not confirmed in time (events claimed one by one). */
@Injectable()
export class CtiJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly cti: CtiService,
  ) {}

  @Interval('cti-wrap-up', 5_000)
  applyWrapUps(): Promise<void> {
    return this.jobs.run('cti-wrap-up', () => this.cti.applyWrapUps(), {
      done: 'wrap-up statuses applied',
    });
  }
}
