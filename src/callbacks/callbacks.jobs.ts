import { Injectable } from '@nestjs/common';
import { Cron, CronExpression, Interval } from '@nestjs/schedule';
import { JobRunner } from '../common/jobs/job-runner';
import { CallbackEngine } from './callback-engine';

/**
 * The callback engine's clock work. Every instance runs these at every tick; the service
 * methods claim their rows with SKIP LOCKED and change each from the state they read, so a
 * callback falls due, is escalated or expires once however many instances run.
 */
@Injectable()
export class CallbacksJobs {
  constructor(
    private readonly jobs: JobRunner,
    private readonly engine: CallbackEngine,
  ) {}

  @Interval('callbacks-due', 30_000)
  markDue(): Promise<void> {
    return this.jobs.run('callbacks-due', () => this.engine.markDue(), {
      done: 'callbacks fallen due',
    });
  }

  @Interval('callbacks-escalation', 30_000)
  escalate(): Promise<void> {
    return this.jobs.run('callbacks-escalation', () => this.engine.escalate(), {
      done: 'private callbacks made public',
    });
  }

  @Cron(CronExpression.EVERY_MINUTE, { name: 'callbacks-expiry' })
  expire(): Promise<void> {
    return this.jobs.run('callbacks-expiry', () => this.engine.expire(), {
      done: 'callbacks expired',
    });
  }
}
