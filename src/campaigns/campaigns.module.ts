import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from './campaign.entity';
import { CampaignStep } from './campaign-step.entity';
import { CampaignStatus } from './campaign-status.entity';
import { CampaignProduct } from './campaign-product.entity';
import { CampaignAgent } from './campaign-agent.entity';
import { CampaignOperator } from './campaign-operator.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Campaign,
      CampaignStep,
      CampaignStatus,
      CampaignProduct,
      CampaignAgent,
      CampaignOperator,
    ]),
  ],
})
export class CampaignsModule {}
