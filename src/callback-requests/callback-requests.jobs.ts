import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { CallbackRequestsService } from './callback-requests.service';

/** Flags requests whose window ended unserved; guarded UPDATEs, so every instance may run it. */
@Injectable()
export class CallbackRequestsJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly requests: CallbackRequestsService,
  ) {}

  @Interval('callback-requests-late', 60_000)
  flagLate(): Promise<void> {
    return this.jobs.run('callback-requests-late', () => this.requests.flagLate(), {
      done: 'callback requests past their window',
    });
  }
}
