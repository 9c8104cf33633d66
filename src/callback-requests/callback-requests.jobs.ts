import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CallbackRequestsService } from './callback-requests.service';

/** Flags requests whose window ended unserved; guarded UPDATEs, so every instance may run it. */
@Injectable()
export class CallbackRequestsJobs {
  private readonly logger = new Logger(CallbackRequestsJobs.name);
  private running = false;

  constructor(private readonly requests: CallbackRequestsService) {}

  @Interval('callback-requests-late', 60_000)
  async flagLate(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const count = await this.requests.flagLate();
      if (count > 0) this.logger.log({ count }, 'callback requests past their window');
    } catch (error) {
      this.logger.error({ err: error }, 'callback-requests-late failed');
    } finally {
      this.running = false;
    }
  }
}
