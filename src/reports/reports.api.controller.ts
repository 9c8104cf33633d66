import { applyDecorators, Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import {
  GROUP_BYS,
  MAX_RANGE_DAYS,
  readCallbackQuery,
  readFormat,
  readOperatorTimeQuery,
  readOutcomeQuery,
  readProductionQuery,
} from './dto/report-query';
import { OperatorTimeReportService } from './operator-time-report.service';
import { OutcomeReportService } from './outcome-report.service';
import { ProductionReportService } from './production-report.service';
import { CallbackReportService } from './callback-report.service';
import { callbackCsv, operatorTimeCsv, outcomeCsv, productionCsv, sendReport } from './report-csv';

const ApiRange = () =>
  applyDecorators(
    ApiQuery({
      name: 'from',
      required: false,
      description: `first day, YYYY-MM-DD (default: to, or today); at most ${MAX_RANGE_DAYS} days to to`,
    }),
    ApiQuery({ name: 'to', required: false, description: 'last day, included (default: today)' }),
    ApiQuery({ name: 'operatorId', required: false, description: 'only this operator (user id)' }),
    ApiQuery({ name: 'team', required: false, description: "only this team's operators" }),
    ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] }),
    ApiProduces('application/json', 'text/csv'),
    ApiBadRequestResponse({ description: 'a filter that is not valid, named in the message' }),
  );

const ApiCampaign = () => ApiQuery({ name: 'campaignId', required: false });

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
  @ApiRange()
  @ApiCampaign()
  @ApiQuery({ name: 'groupBy', required: false, enum: GROUP_BYS, description: 'default operator' })
  @ApiOkResponse({
    description:
      '{from, to, groupBy, filters, statuses: [{id, code, label, type, color}], rows: [{key, label, code?, total, byType: {R, N, C, T}, byStatus: [{statusId, code, count}]}], totals}',
  })
  async outcomesReport(
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const format = readFormat(raw);
    const query = readOutcomeQuery(raw);
    const report = await this.outcomes.report(query, user.uiLanguage);
    await sendReport(res, format, `outcomes-by-${query.groupBy}`, report, outcomeCsv);
  }

  @Get('operator-time')
  @ApiRange()
  @ApiOkResponse({
    description:
      '{from, to, timezone, filters, pauseReasons, rows: [{operatorId, name, team, loggedInSeconds, readySeconds, waitingSeconds, onContactSeconds, pausedSeconds, pauses: [{pauseReasonId, code, label, seconds}]}], totals}',
  })
  async operatorTime(
    @Query() raw: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const format = readFormat(raw);
    const report = await this.time.report(readOperatorTimeQuery(raw), user.uiLanguage);
    await sendReport(res, format, 'operator-time', report, operatorTimeCsv);
  }

  @Get('callback-requests')
  @ApiQuery({ name: 'from', required: false, description: 'first day, YYYY-MM-DD' })
  @ApiQuery({ name: 'to', required: false, description: 'last day, included (default: today)' })
  @ApiCampaign()
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiProduces('application/json', 'text/csv')
  @ApiBadRequestResponse({ description: 'a filter that is not valid, named in the message' })
  @ApiOkResponse({
    description:
      '{from, to, filters, rows: [{day, campaignId, campaignCode, campaignName, offered, accepted, served, servedInWindow, notReached, late}], totals}',
  })
  async callbackReport(@Query() raw: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const format = readFormat(raw);
    const report = await this.callbacks.report(readCallbackQuery(raw));
    await sendReport(res, format, 'callback-requests', report, callbackCsv);
  }

  @Get('production')
  @ApiRange()
  @ApiCampaign()
  @ApiOkResponse({
    description:
      '{from, to, filters, rows: [{operatorId, name, team, contracts, appointments, callbacks, negatives, outcomes, conversionRate}], totals}',
  })
  async productionReport(
    @Query() raw: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const format = readFormat(raw);
    const report = await this.production.report(readProductionQuery(raw));
    await sendReport(res, format, 'production', report, productionCsv);
  }
}
