import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { exportDialect } from '../common/csv/export-dialect';
import { sendTable } from '../common/csv/export-table';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { OutageContactsDto, OutageInputDto } from './dto/outage-input.dto';
import { OutageReportQuery } from './dto/outage-report.query';
import {
  type OutageCreated,
  type OutageImport,
  type OutageProgress,
  OutagesService,
} from './outages.service';

/** Outage notification campaigns: made in one step, watched live, closed with a report. */
@ApiTags('outages')
@ApiBearerAuth()
@Roles('admin', 'coordinator')
@Controller('api/v1/outages')
export class OutagesApiController {
  constructor(private readonly outages: OutagesService) {}

  @Post()
  @ApiCreatedResponse({ description: 'the campaign, its import summary and first progress' })
  create(
    @Body() dto: OutageInputDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OutageCreated> {
    return this.outages.create(dto, user.id);
  }

  @Get()
  list(): Promise<OutageProgress[]> {
    return this.outages.list();
  }

  @Get(':id/progress')
  @ApiOkResponse({ description: 'notified, not reached, callbacks, e-mailed instead, left' })
  progress(@Param('id', new IdParamPipe()) id: number): Promise<OutageProgress> {
    return this.outages.progress(id);
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'the outage is closed' })
  addContacts(
    @Param('id', new IdParamPipe()) id: number,
    @Body() dto: OutageContactsDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ import: OutageImport; progress: OutageProgress }> {
    return this.outages.addContacts(id, dto, user.id);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id', new IdParamPipe()) id: number): Promise<OutageProgress> {
    return this.outages.close(id);
  }

  @Get(':id/report')
  @ApiProduces('application/json', 'text/csv')
  @ApiConflictResponse({ description: 'the outage is still open' })
  async report(
    @Param('id', new IdParamPipe()) id: number,
    @Query() { format, dialect }: OutageReportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.outages.report(id);
    if (format !== 'csv') {
      res.json(report);
      return;
    }
    const table = this.outages.reportTable(report);
    await sendTable(res, table, { format: 'csv', dialect: exportDialect(dialect) });
  }
}
