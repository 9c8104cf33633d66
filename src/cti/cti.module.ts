import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '../contacts/contacts.module';
import { DoNotCallModule } from '../do-not-call/do-not-call.module';
import { WorkModule } from '../work/work.module';
import { CtiEvent } from './cti-event.entity';
import { CtiHub } from './cti-hub.service';
import { CtiApiController } from './cti.api.controller';
import { CtiService } from './cti.service';

/** Telephony integration: events from the PBX, the operator's screen-pop, the wrap-up. */
@Module({
  imports: [TypeOrmModule.forFeature([CtiEvent]), ContactsModule, DoNotCallModule, WorkModule],
  controllers: [CtiApiController],
  providers: [CtiService, CtiHub],
})
export class CtiModule {}
