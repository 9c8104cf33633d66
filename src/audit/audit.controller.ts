import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { exportDialect } from '../common/csv/export-dialect';
import { sendTable } from '../common/csv/export-table';
import { ListPage, type RefusedInPlace } from '../common/http/form-page';
import { AuditLogService } from './audit-log.service';
import { auditPage } from './audit.page';
import { AuditQueryDto } from './dto/audit-query.dto';

/** The audit trail's page for admins: filters, the newest lines, older pages, a CSV. */
@ApiExcludeController()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  @Get()
  @ListPage({ inPlace: 'refusedFilter' })
  async index(@Query() query: AuditQueryDto, @Req() req: Request, @Res() res: Response) {
    res.render('audit/index', auditPage(req.query, await this.log.page(query)));
  }

  /** A wrong filter is shown beside it (400), with the form still there to correct it. */
  refusedFilter(req: Request, res: Response, { refusal }: RefusedInPlace): void {
    const [field, message] = Object.entries(refusal.fields ?? {})[0] ?? ['form', ''];
    res.render('audit/index', auditPage(req.query, { lines: [], next: null }, { field, message }));
  }

  @Get('download')
  async download(@Query() query: AuditQueryDto, @Res() res: Response): Promise<void> {
    await sendTable(res, this.log.table(query), {
      format: 'csv',
      dialect: exportDialect(query.dialect ?? 'excel-it'),
    });
  }
}
