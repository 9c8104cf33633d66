import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CampaignConfigModule } from '../campaigns/campaign-config.module';
import { FrequencyCap } from './frequency-cap';
import { FrequencyCapSettingsService } from './frequency-cap-settings.service';
import { FrequencyCapApiController } from './frequency-cap.api.controller';
import { FrequencyCapController } from './frequency-cap.controller';
import { FrequencyCapJobs } from './frequency-cap.jobs';
import { PhoneCallTally } from './phone-call-tally.entity';

/** The frequency cap across campaigns: its settings (API and page), the per-number tallies, their housekeeping. */
@Module({
  imports: [TypeOrmModule.forFeature([PhoneCallTally]), AuditModule, CampaignConfigModule],
  controllers: [FrequencyCapApiController, FrequencyCapController],
  providers: [FrequencyCap, FrequencyCapSettingsService, FrequencyCapJobs],
  exports: [FrequencyCap, FrequencyCapSettingsService],
})
export class FrequencyCapModule {}
