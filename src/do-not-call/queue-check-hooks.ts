import { Injectable } from '@nestjs/common';
import type { CampaignPurpose } from '../campaigns/campaign.entity';
import type { RecheckSummary } from './dto/do-not-call.dto';

/**
 * An extension point of the list: after a register import or on an admin's demand, the
 * capability that keeps the contacts' queue takes out of it the contacts whose number the
 * list now blocks, and says how many per campaign. The list knows nothing of contacts; the
 * contacts register here at start-up (contacts/do-not-call-queue-check.ts).
 */
export interface QueueCheck {
  check(purposes: readonly CampaignPurpose[]): Promise<RecheckSummary>;
}

@Injectable()
export class QueueCheckHooks {
  private queueCheck: QueueCheck | null = null;

  register(check: QueueCheck): void {
    this.queueCheck = check;
  }

  /** The queues of the campaigns of these purposes checked against the list; nothing without a queue. */
  check(purposes: readonly CampaignPurpose[]): Promise<RecheckSummary> {
    return this.queueCheck
      ? this.queueCheck.check(purposes)
      : Promise.resolve({ removed: 0, removedByCampaign: [] });
  }
}
