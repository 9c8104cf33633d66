import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { exportChoice } from '../common/csv/export-query';
import { sendTable } from '../common/csv/export-table';
import type { AuthenticatedUser } from '../common/http/request-context';
import {
  ResultsExportQueryDto,
  resultsFiltersOf,
  ResultsPageQueryDto,
} from './dto/results-query.dto';
import { exportViewer, ResultsFileService } from './results-file.service';
import { resultsPage } from './results.page';

/** The coordinators' results page: the filters, and the file downloaded with the session. */
@ApiExcludeController()
@Roles('coordinator', 'admin')
@Controller('results')
export class ResultsController {
  constructor(private readonly results: ResultsFileService) {}

  @Get()
  async index(@Query() query: ResultsPageQueryDto, @Res() res: Response): Promise<void> {
    res.render('results/index', resultsPage(await this.results.choices(query.campaignId), query));
  }

  @Get('download')
  async download(
    @Query() query: ResultsExportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const table = await this.results.table(exportViewer(user), resultsFiltersOf(query));
    await sendTable(res, table, exportChoice(query));
  }
}
