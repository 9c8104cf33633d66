import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntry } from './audit-entry.entity';
import { AuditService } from './audit.service';
import { AuditTrail } from './audit-trail';
import { AuditLogService } from './audit-log.service';
import { AuditApiController } from './audit.api.controller';
import { AuditController } from './audit.controller';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController, AuditApiController],
  providers: [AuditService, AuditTrail, AuditLogService],
  exports: [AuditService],
})
export class AuditModule {}
