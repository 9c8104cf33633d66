import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignConfigCache } from './campaign-config';
import { ConfigVersion } from './config-version.entity';

/** Campaign configuration as every call reads it, kept per instance (campaign-config.ts). */
@Module({
  imports: [TypeOrmModule.forFeature([ConfigVersion])],
  providers: [CampaignConfigCache],
  exports: [CampaignConfigCache],
})
export class CampaignConfigModule {}
