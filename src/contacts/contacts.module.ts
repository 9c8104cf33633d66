import { CampaignConfigModule } from '../campaigns/campaign-config.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignOperator } from '../campaigns/campaign-operator.entity';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Contact } from './contact.entity';
import { ContactImport } from './contact-import.entity';
import { DoNotCallQueueCheck } from './do-not-call-queue-check';
import { ContactBatchWriter } from './contact-batch-writer';
import { ContactImportService } from './contact-import.service';
import { ContactQueueModule } from './contact-queue.module';
import { ContactImportMapping } from './contact-import-mapping.entity';
import { ContactList, ContactListRecycle } from './contact-list.entity';
import { ContactListsApiController } from './contact-lists.api.controller';
import { ContactListsController } from './contact-lists.controller';
import { ContactListsService } from './contact-lists.service';
import { ImportMappings } from './import-mappings';
import { ContactsApiController } from './contacts.api.controller';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Contact,
      ContactImport,
      ContactImportMapping,
      ContactList,
      ContactListRecycle,
      Campaign,
      CampaignOperator,
      OutcomeStatus,
    ]),
    CampaignConfigModule,
    ContactQueueModule,
    DoNotCallModule,
  ],
  controllers: [
    ContactsController,
    ContactsApiController,
    ContactListsController,
    ContactListsApiController,
  ],
  providers: [
    ContactsService,
    ContactImportService,
    ContactBatchWriter,
    ContactListsService,
    ImportMappings,
    DoNotCallQueueCheck,
  ],
  exports: [ContactsService, ContactImportService],
})
export class ContactsModule {}
