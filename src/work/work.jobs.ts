import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { LeasesService } from './leases.service';

/**
 * Gives back contacts whose operator's page stopped renewing the lease. Several instances
 * may run it at once: each claims expired leases with SKIP LOCKED, so every lease is
 * released once.
 */
@Injectable()
export class WorkJobs {
  private readonly logger = new Logger(WorkJobs.name);

  @Interval('lease-expiry', 15_000)
  async releaseExpiredLeases(): Promise<void> {
    try {
      await this.leases.releaseExpired();
    } catch (error) {
      this.logger.error({ err: error }, 'releasing expired leases failed');
    }
  }

  constructor(private readonly leases: LeasesService) {}
}
