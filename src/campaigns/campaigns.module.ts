import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agent } from '../agents/agent.entity';
import { Contact } from '../contacts/contact.entity';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Product } from '../products/product.entity';
import { User } from '../users/user.entity';
import { Campaign } from './campaign.entity';
import { CampaignStep } from './campaign-step.entity';
import { CampaignStatus } from './campaign-status.entity';
import { CampaignProduct } from './campaign-product.entity';
import { CampaignAgent } from './campaign-agent.entity';
import { CampaignOperator } from './campaign-operator.entity';
import { CampaignsApiController } from './campaigns.api.controller';
import { CampaignsController } from './campaigns.controller';
import { CalendarChangeHooks } from './calendar-change-hooks';
import { CampaignAccess } from './campaign-access';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [
    AuditModule,
    TypeOrmModule.forFeature([
      Campaign,
      CampaignStep,
      CampaignStatus,
      CampaignProduct,
      CampaignAgent,
      CampaignOperator,
      // Read only, to check and show what a campaign links to.
      OutcomeStatus,
      Product,
      Agent,
      User,
      Contact,
    ]),
  ],
  controllers: [CampaignsController, CampaignsApiController],
  providers: [CampaignsService, CampaignAccess, CalendarChangeHooks],
  exports: [CampaignsService, CampaignAccess, CalendarChangeHooks],
})
export class CampaignsModule {}
