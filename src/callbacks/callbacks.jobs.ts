import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression, Interval } from '@nestjs/schedule';
import { CallbacksService } from './callbacks.service';

/**
 * The callback engine's clock work. Every instance runs these at every tick; the service
 * methods claim their rows with SKIP LOCKED and change each from the state they read, so a
 * callback falls due, is escalated or expires once however many instances run.
 */
@Injectable()
export class CallbacksJobs {
  private readonly logger = new Logger(CallbacksJobs.name);
  /** Jobs still running in this instance: a slow run is not overtaken by the next tick. */
  private readonly running = new Set<string>();

  constructor(private readonly callbacks: CallbacksService) {}

  @Interval('callbacks-due', 30_000)
  markDue(): Promise<void> {
    return this.run('callbacks-due', 'callbacks fallen due', () => this.callbacks.markDue());
  }

  @Interval('callbacks-escalation', 30_000)
  escalate(): Promise<void> {
    return this.run('callbacks-escalation', 'private callbacks made public', () =>
      this.callbacks.escalate(),
    );
  }

  @Cron(CronExpression.EVERY_MINUTE, { name: 'callbacks-expiry' })
  expire(): Promise<void> {
    return this.run('callbacks-expiry', 'callbacks expired', () => this.callbacks.expire());
  }

  private async run(name: string, what: string, work: () => Promise<number>): Promise<void> {
    if (this.running.has(name)) return;
    this.running.add(name);
    try {
      const count = await work();
      if (count > 0) this.logger.log({ count }, what);
    } catch (error) {
      this.logger.error({ err: error }, `${name} failed`);
    } finally {
      this.running.delete(name);
    }
  }
}
