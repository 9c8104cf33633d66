import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Callback } from './callback.entity';
import { CallbacksApiController } from './callbacks.api.controller';
import { CallbacksJobs } from './callbacks.jobs';
import { CallbacksService } from './callbacks.service';

/** The callback engine: due, escalation and expiry jobs, lists, coordinators' actions. */
@Module({
  imports: [TypeOrmModule.forFeature([Callback]), AuditModule],
  controllers: [CallbacksApiController],
  providers: [CallbacksService, CallbacksJobs],
  exports: [CallbacksService],
})
export class CallbacksModule {}
