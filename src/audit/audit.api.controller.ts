import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { exportDialect } from '../common/csv/export-dialect';
import { sendTable } from '../common/csv/export-table';
import { type AuditPage, AuditLogService } from './audit-log.service';
import { AuditQueryDto } from './dto/audit-query.dto';

/** The audit trail, read only (admins). */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/audit')
export class AuditApiController {
  constructor(private readonly log: AuditLogService) {}

  @Get()
  @ApiOkResponse({
    description: '{lines: [{id, at, user, action, entity, entityId, detail}], next}',
  })
  page(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.log.page(query);
  }

  @Get('export')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'the filtered trail as CSV, oldest first' })
  async export(@Query() query: AuditQueryDto, @Res() res: Response): Promise<void> {
    await sendTable(res, this.log.table(query), {
      format: 'csv',
      dialect: exportDialect(query.dialect),
    });
  }
}
