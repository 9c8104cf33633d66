import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { SignInHousekeeping } from './sign-in-housekeeping';

/** Sign-in housekeeping (plain DELETEs by age, so every instance may run it). */
@Injectable()
export class AuthJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly signIn: SignInHousekeeping,
  ) {}

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'auth-housekeeping' })
  housekeeping(): Promise<void> {
    return this.jobs.run('auth-housekeeping', () => this.signIn.purge());
  }
}
