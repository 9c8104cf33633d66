import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CtiService } from './cti.service';

/** Applies the wrap-up status of calls ended and not confirmed in time (events claimed one by one). */
@Injectable()
export class CtiJobs {
  private readonly logger = new Logger(CtiJobs.name);
  private running = false;

  constructor(private readonly cti: CtiService) {}

  @Interval('cti-wrap-up', 5_000)
  async applyWrapUps(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const count = await this.cti.applyWrapUps();
      if (count > 0) this.logger.log({ count }, 'wrap-up statuses applied');
    } catch (error) {
      this.logger.error({ err: error }, 'cti-wrap-up failed');
    } finally {
      this.running = false;
    }
  }
}
