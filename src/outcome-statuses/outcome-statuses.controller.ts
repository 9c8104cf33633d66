import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { FollowUpTemplatesService } from '../follow-ups/follow-up-templates.service';
import { given, OutcomeStatusFormDto } from './dto/outcome-status-form.dto';
import { editStatusPage, newStatusPage, statusListPage } from './outcome-statuses.page';
import { OutcomeStatusesService } from './outcome-statuses.service';

const LIST = '/outcome-statuses';

@ApiExcludeController()
@Roles('admin')
@Controller('outcome-statuses')
export class OutcomeStatusesController {
  constructor(
    private readonly statuses: OutcomeStatusesService,
    private readonly followUps: FollowUpTemplatesService,
  ) {}

  @Get()
  @Render('outcome-statuses/index')
  async index() {
    return statusListPage(await this.statuses.list({ includeArchived: true }));
  }

  @Get('new')
  @Render('outcome-statuses/form')
  newStatus(@Res({ passthrough: true }) res: Response) {
    return newStatusPage(res.locals.form as FormState | undefined);
  }

  @Post()
  @FormPage()
  async create(@Body() form: OutcomeStatusFormDto): Promise<PageRedirect> {
    // An unticked checkbox sends nothing: "customer reached" unticked on an N status is false.
    const status = await this.statuses.create({
      ...form,
      customerReached: form.customerReached ?? form.type !== 'N',
    });
    return savedTo(LIST, 'statuses.created', { code: status.code });
  }

  @Get(':id/edit')
  @Render('outcome-statuses/form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [status, templates] = await Promise.all([this.statuses.get(id), this.followUps.list(id)]);
    return editStatusPage(status, templates, res.locals.form as FormState | undefined);
  }

  /** The form sends the whole status: a field left empty (or unticked) is cleared. */
  @Post(':id')
  @FormPage()
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: OutcomeStatusFormDto,
  ): Promise<PageRedirect> {
    const status = await this.statuses.update(id, {
      labelEn: null,
      quick: false,
      quickOrder: null,
      callbackVisibility: null,
      retryAfterMinutes: null,
      maxAttempts: null,
      doNotCall: false,
      customerReached: form.type !== 'N',
      allowPriceOverride: false,
      ...given(form),
    });
    return savedTo(LIST, 'statuses.saved', { code: status.code });
  }

  @Post(':id/archive')
  @FormPage()
  async archive(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const status = await this.statuses.archive(id);
    return savedTo(LIST, 'statuses.archivedDone', { code: status.code });
  }

  @Post(':id/restore')
  @FormPage()
  async restore(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const status = await this.statuses.restore(id);
    return savedTo(LIST, 'statuses.restoredDone', { code: status.code });
  }

  @Post(':id/delete')
  @FormPage()
  async remove(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const status = await this.statuses.remove(id);
    return savedTo(LIST, 'statuses.deletedDone', { code: status.code });
  }
}
