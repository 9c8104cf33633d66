import { applyDecorators, Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { exportDialect } from '../common/csv/export-dialect';
import type { AuthenticatedUser } from '../common/http/request-context';
import {
  readCallbackQuery,
  readFormat,
  readOperatorTimeQuery,
  readOutcomeQuery,
  readProductionQuery,
} from './dto/report-query';
import { ReportQueryDto } from './dto/report-query.dto';
import { OperatorTimeReportService } from './operator-time-report.service';
import { OutcomeReportService } from './outcome-report.service';
import { ProductionReportService } from './production-report.service';
import { CallbackReportService } from './callback-report.service';
import { callbackCsv, operatorTimeCsv, outcomeCsv, productionCsv, sendReport } from './report-csv';

/** A report is JSON, or CSV with `format=csv`; a wrong filter is a 400 naming it. */
const ApiReport = () =>
  applyDecorators(
    ApiProduces('application/json', 'text/csv'),
    ApiBadRequestResponse({ description: 'a filter that is not valid, named in the message' }),
  );

/**
 * The coordinators' reports as JSON or CSV (`format=csv`), read from the aggregates kept as
 * work happens (never from the interactions). Days are local: each campaign's for outcomes,
 * the call centre's (config TIMEZONE) for operator time and for "today".
 */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('coordinator', 'admin')
@Controller('api/v1/reports')
export class ReportsApiController {
  constructor(
    private readonly outcomes: OutcomeReportService,
    private readonly time: OperatorTimeReportService,
    private readonly production: ProductionReportService,
    private readonly callbacks: CallbackReportService,
  ) {}

  @Get('outcomes')
  @ApiReport()
  @ApiOkResponse({
    description:
      '{from, to, groupBy, filters, statuses: [{id, code, label, type, color}], rows: [{key, label, code?, total, byType: {R, N, C, T}, byStatus: [{statusId, code, count}]}], totals}',
  })
  async outcomesReport(
    @Query() asked: ReportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const format = readFormat(asked);
    const query = readOutcomeQuery(asked);
    const report = await this.outcomes.report(query, user.uiLanguage);
    await sendReport(
      res,
      format,
      exportDialect(asked.dialect),
      `outcomes-by-${query.groupBy}`,
      report,
      outcomeCsv,
    );
  }

  @Get('operator-time')
  @ApiReport()
  @ApiOkResponse({
    description:
      '{from, to, timezone, filters, pauseReasons, rows: [{operatorId, name, team, loggedInSeconds, readySeconds, waitingSeconds, onContactSeconds, pausedSeconds, pauses: [{pauseReasonId, code, label, seconds}]}], totals}',
  })
  async operatorTime(
    @Query() asked: ReportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const format = readFormat(asked);
    const report = await this.time.report(readOperatorTimeQuery(asked), user.uiLanguage);
    await sendReport(
      res,
      format,
      exportDialect(asked.dialect),
      'operator-time',
      report,
      operatorTimeCsv,
    );
  }

  @Get('callback-requests')
  @ApiReport()
  @ApiOkResponse({
    description:
      '{from, to, filters, rows: [{day, campaignId, campaignCode, campaignName, offered, accepted, served, servedInWindow, notReached, late}], totals}',
  })
  async callbackReport(@Query() asked: ReportQueryDto, @Res() res: Response): Promise<void> {
    const format = readFormat(asked);
    const report = await this.callbacks.report(readCallbackQuery(asked));
    await sendReport(
      res,
      format,
      exportDialect(asked.dialect),
      'callback-requests',
      report,
      callbackCsv,
    );
  }

  @Get('production')
  @ApiReport()
  @ApiOkResponse({
    description:
      '{from, to, filters, rows: [{operatorId, name, team, contracts, appointments, callbacks, negatives, outcomes, conversionRate}], totals}',
  })
  async productionReport(@Query() asked: ReportQueryDto, @Res() res: Response): Promise<void> {
    const format = readFormat(asked);
    const report = await this.production.report(readProductionQuery(asked));
    await sendReport(
      res,
      format,
      exportDialect(asked.dialect),
      'production',
      report,
      productionCsv,
    );
  }
}
