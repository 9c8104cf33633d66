import { Module } from '@nestjs/common';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { OutageNotices } from './outage-notices';

/**
 * The outage e-mail sent instead of a call: registered into the eligibility check at
 * dispatch and the outcome's unreached hook, used by the sweep after an import.
 */
@Module({
  imports: [EligibilityModule, FollowUpsModule],
  providers: [OutageNotices],
  exports: [OutageNotices],
})
export class OutageNoticesModule {}
