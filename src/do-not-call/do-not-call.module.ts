import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { DoNotCallApiController } from './do-not-call.api.controller';
import { DoNotCallController } from './do-not-call.controller';
import { DoNotCallNumber } from './do-not-call-number.entity';
import { DoNotCallRegister } from './do-not-call-register';
import { DoNotCallService } from './do-not-call.service';
import { QueueCheckHooks } from './queue-check-hooks';
import { phoneNumbersProvider } from './phone-numbers.provider';

@Module({
  imports: [TypeOrmModule.forFeature([DoNotCallNumber]), AuditModule],
  controllers: [DoNotCallController, DoNotCallApiController],
  providers: [DoNotCallService, DoNotCallRegister, QueueCheckHooks, phoneNumbersProvider],
  // Dispatch asks isBlocked(); contacts share the phone normaliser and check their queues.
  exports: [DoNotCallService, QueueCheckHooks, phoneNumbersProvider],
})
export class DoNotCallModule {}
