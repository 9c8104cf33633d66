import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import type { AuthenticatedUser } from '../common/http/request-context';
import { ReportPageQueryDto } from './dto/report-query.dto';
import { ReportPageService } from './report-page.service';

/** The coordinators' reports page: filters, tabs, charts, tables and CSV links. */
@ApiExcludeController()
@Roles('coordinator', 'admin')
@Controller('reports')
export class ReportsController {
  constructor(private readonly pages: ReportPageService) {}

  @Get()
  async index(
    @Query() query: ReportPageQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    const { status, view } = await this.pages.page(query, user.uiLanguage);
    res.status(status).render('reports/index', view);
  }
}
