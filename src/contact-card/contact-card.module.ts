import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ContactsModule } from '../contacts/contacts.module';
import { ContactCardApiController } from './contact-card.api.controller';
import { ContactCardController } from './contact-card.controller';
import { ContactCardService } from './contact-card.service';

/** The contact card and history, read across capabilities with each one's visibility rule. */
@Module({
  imports: [ContactsModule, CampaignsModule],
  controllers: [ContactCardController, ContactCardApiController],
  providers: [ContactCardService],
  exports: [ContactCardService],
})
export class ContactCardModule {}
