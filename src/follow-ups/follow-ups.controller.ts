import { Body, Controller, Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { FollowUpTemplateDto } from './dto/follow-up-template.dto';
import { FollowUpTemplatesService } from './follow-up-templates.service';
import { presetStatusId, templateFormPage, templateListPage } from './follow-ups.page';
import { FollowUpsService } from './follow-ups.service';

const TEMPLATES = '/follow-ups/templates';

/** The outbox (coordinators, admins) and the follow-up templates (admins). */
@ApiExcludeController()
@Controller('follow-ups')
export class FollowUpsController {
  constructor(
    private readonly outbox: FollowUpsService,
    private readonly templates: FollowUpTemplatesService,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  @Render('follow-ups/outbox')
  async index() {
    return { title: 'followUps.title', ...(await this.outbox.outbox({ limit: 200 })) };
  }

  @Post(':id/retry')
  @Roles('admin', 'coordinator')
  @FormPage()
  async retry(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    await this.outbox.retry(id);
    return savedTo('/follow-ups', 'followUps.retried', { id });
  }

  @Get('templates')
  @Roles('admin')
  @Render('follow-ups/templates')
  async templateList() {
    const [templates, statuses] = await Promise.all([
      this.templates.list(),
      this.templates.statusChoices(),
    ]);
    return templateListPage(templates, statuses);
  }

  @Get('templates/new')
  @Roles('admin')
  @Render('follow-ups/template-form')
  async newTemplate(
    @Res({ passthrough: true }) res: Response,
    @Query('statusId') statusId?: unknown,
  ) {
    const form = res.locals.form as FormState | undefined;
    const statuses = await this.templates.statusChoices();
    return templateFormPage(statuses, form, undefined, presetStatusId(statusId));
  }

  @Post('templates')
  @Roles('admin')
  @FormPage()
  async create(@Body() form: FollowUpTemplateDto): Promise<PageRedirect> {
    await this.templates.create(form);
    return savedTo(TEMPLATES, 'followUps.templates.saved');
  }

  @Get('templates/:id/edit')
  @Roles('admin')
  @Render('follow-ups/template-form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [stored, statuses] = await Promise.all([
      this.templates.get(id),
      this.templates.statusChoices(),
    ]);
    return templateFormPage(statuses, res.locals.form as FormState | undefined, stored);
  }

  @Post('templates/:id')
  @Roles('admin')
  @FormPage()
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: FollowUpTemplateDto,
  ): Promise<PageRedirect> {
    await this.templates.update(id, { ...form, reason: form.reason ?? '' });
    return savedTo(TEMPLATES, 'followUps.templates.saved');
  }

  @Post('templates/:id/delete')
  @Roles('admin')
  @FormPage()
  async remove(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    await this.templates.remove(id);
    return savedTo(TEMPLATES, 'followUps.templates.deleted');
  }
}
