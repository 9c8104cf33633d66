import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { JobRunner } from '../common/jobs/job-runner';
import { Clock } from '../common/time/clock';
import { FrequencyCap } from './frequency-cap';

/**
 * Hourly, every instance: tallies of days the cap no longer looks at are deleted (one
 * DELETE by day; instances doing it at once delete each row once).
 */
@Injectable()
export class FrequencyCapJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cap: FrequencyCap,
  ) {}

  @Interval('frequency-cap-housekeeping', 3_600_000)
  forget(): Promise<void> {
    return this.jobs.run(
      'frequency-cap-housekeeping',
      () => this.cap.forgetOld(this.dataSource.manager, this.clock.now()),
      { done: 'call tallies forgotten' },
    );
  }
}
