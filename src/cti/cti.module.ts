import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallbackRequestsModule } from '../callback-requests/callback-requests.module';
import { ContactsModule } from '../contacts/contacts.module';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { WorkModule } from '../work/work.module';
import { CtiEvent } from './cti-event.entity';
import { CtiHub } from './cti-hub.service';
import { CtiApiController } from './cti.api.controller';
import { CtiJobs } from './cti.jobs';
import { CtiService } from './cti.service';

/** Telephony integration: events from the PBX, the operator's screen-pop, the wrap-up. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CtiEvent]),
    CallbackRequestsModule,
    ContactsModule,
    DoNotCallModule,
    WorkModule,
  ],
  controllers: [CtiApiController],
  providers: [CtiService, CtiHub, CtiJobs],
})
export class CtiModule {}
