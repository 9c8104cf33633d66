import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ContactsModule } from '../contacts/contacts.module';
import { OutageNoticesModule } from './outage-notices.module';
import { Outage } from './outage.entity';
import { OutagesApiController } from './outages.api.controller';
import { OutagesController } from './outages.controller';
import { OutagesService } from './outages.service';

/** Outage notification campaigns (see OutagesService). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Outage]),
    CampaignsModule,
    ContactsModule,
    OutageNoticesModule,
  ],
  controllers: [OutagesApiController, OutagesController],
  providers: [OutagesService],
})
export class OutagesModule {}
