import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ContactQueueModule } from '../contacts/contact-queue.module';
import { DoNotCallApiController } from './do-not-call.api.controller';
import { DoNotCallController } from './do-not-call.controller';
import { DoNotCallNumber } from './do-not-call-number.entity';
import { DoNotCallRegister } from './do-not-call-register';
import { DoNotCallService } from './do-not-call.service';
import { phoneNumbersProvider } from './phone-numbers.provider';

@Module({
  imports: [TypeOrmModule.forFeature([DoNotCallNumber]), AuditModule, ContactQueueModule],
  controllers: [DoNotCallController, DoNotCallApiController],
  providers: [DoNotCallService, DoNotCallRegister, phoneNumbersProvider],
  // Dispatch asks isBlocked(); contacts share the phone normaliser.
  exports: [DoNotCallService, phoneNumbersProvider],
})
export class DoNotCallModule {}
