import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import { exportChoice } from '../common/csv/export-query';
import { sendTable } from '../common/csv/export-table';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ResultsExportQueryDto, resultsFiltersOf } from './dto/results-query.dto';
import { exportViewer, ResultsFileService } from './results-file.service';

/** The results file ("esitazione") for integrations and scripts: CSV or XLSX, streamed. */
@ApiTags('interactions')
@ApiBearerAuth()
@Roles('coordinator', 'admin')
@Controller('api/v1/interactions')
export class ResultsApiController {
  constructor(private readonly results: ResultsFileService) {}

  @Get('export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({
    description:
      'one row per interaction of the campaign, oldest first; one column per question and consent step (named by its title)',
  })
  @ApiBadRequestResponse({ description: 'a filter that is not valid, named in the message' })
  @ApiNotFoundResponse({ description: 'no such campaign' })
  async export(
    @Query() query: ResultsExportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const table = await this.results.table(exportViewer(user), resultsFiltersOf(query));
    await sendTable(res, table, exportChoice(query));
  }
}
