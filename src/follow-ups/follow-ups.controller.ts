import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource, IsNull } from 'typeorm';
import { Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { LANGUAGES } from '../config/app.config';
import { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { FollowUpTemplateDto, FollowUpTemplateView } from './dto/follow-up-template.dto';
import { FOLLOW_UP_PLACEHOLDERS } from './follow-up-template-check';
import { FollowUpTemplatesService } from './follow-up-templates.service';
import { FollowUpsService } from './follow-ups.service';

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

const PLACEHOLDERS = [
  ...FOLLOW_UP_PLACEHOLDERS.map((p) => `{{${p}}}`),
  '{{contact.fields.column}}',
];

/** The outbox (coordinators, admins) and the follow-up templates (admins). */
@ApiExcludeController()
@Controller('follow-ups')
export class FollowUpsController {
  constructor(
    private readonly outbox: FollowUpsService,
    private readonly templates: FollowUpTemplatesService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  @Render('follow-ups/outbox')
  async index() {
    const view = await this.outbox.outbox({ limit: 200 });
    return { title: 'followUps.title', ...view };
  }

  @Post(':id/retry')
  @Roles('admin', 'coordinator')
  async retry(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.outbox.retry(id);
    req.session.flash = [{ type: 'success', text: 'followUps.retried', args: { id } }];
    res.redirect(303, '/follow-ups');
  }

  @Get('templates')
  @Roles('admin')
  @Render('follow-ups/templates')
  async templateList() {
    const [templates, statuses] = await Promise.all([this.templates.list(), this.statuses()]);
    const byId = new Map(statuses.map((s) => [s.id, s]));
    return {
      title: 'followUps.templates.title',
      templates: templates.map((t) => ({ ...t, status: byId.get(t.statusId) ?? null })),
    };
  }

  @Get('templates/new')
  @Roles('admin')
  @Render('follow-ups/template-form')
  async newTemplate(
    @Res({ passthrough: true }) res: Response,
    @Query('statusId') statusId?: unknown,
  ) {
    // From a status's page: the status chosen already (an id that is none selects nothing).
    const preset = /^[0-9]{1,9}$/.test(text(statusId)) ? Number(statusId) : undefined;
    return this.formModel(
      '/follow-ups/templates',
      res.locals.form as FormState | undefined,
      undefined,
      preset,
    );
  }

  @Post('templates')
  @Roles('admin')
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: FollowUpTemplateDto,
  ): Promise<void> {
    await this.templates.create(form);
    req.session.flash = [{ type: 'success', text: 'followUps.templates.saved' }];
    res.redirect(303, '/follow-ups/templates');
  }

  @Get('templates/:id/edit')
  @Roles('admin')
  @Render('follow-ups/template-form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const stored = await this.templates.get(id);
    return this.formModel(
      `/follow-ups/templates/${id}`,
      res.locals.form as FormState | undefined,
      stored,
    );
  }

  @Post('templates/:id')
  @Roles('admin')
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: FollowUpTemplateDto,
  ): Promise<void> {
    await this.templates.update(id, { ...form, reason: form.reason ?? '' });
    req.session.flash = [{ type: 'success', text: 'followUps.templates.saved' }];
    res.redirect(303, '/follow-ups/templates');
  }

  @Post('templates/:id/delete')
  @Roles('admin')
  async remove(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.templates.remove(id);
    req.session.flash = [{ type: 'success', text: 'followUps.templates.deleted' }];
    res.redirect(303, '/follow-ups/templates');
  }

  private async statuses() {
    const rows = await this.dataSource
      .getRepository(OutcomeStatus)
      .find({ where: { archivedAt: IsNull() }, order: { code: 'ASC' } });
    return rows.map((s) => ({ id: s.id, code: s.code, label: s.label, type: s.type }));
  }

  private async formModel(
    action: string,
    form?: FormState,
    stored?: FollowUpTemplateView,
    presetStatusId?: number,
  ) {
    const typed = form?.values ?? {};
    const fromForm = Object.keys(typed).length > 0;
    const values = {
      statusId: fromForm ? text(typed.statusId) : text(stored?.statusId ?? presetStatusId),
      reason: fromForm ? text(typed.reason) : (stored?.reason ?? ''),
      language: fromForm ? text(typed.language) : (stored?.language ?? 'it'),
      subject: fromForm ? text(typed.subject) : (stored?.subject ?? ''),
      body: fromForm ? text(typed.body) : (stored?.body ?? ''),
    };
    return {
      title: stored ? 'followUps.templates.edit' : 'followUps.templates.new',
      action,
      template: stored ?? null,
      values,
      statuses: (await this.statuses()).map((s) => ({
        ...s,
        selected: String(s.id) === values.statusId,
      })),
      languages: LANGUAGES.map((l) => ({ code: l, selected: l === values.language })),
      placeholders: PLACEHOLDERS,
    };
  }
}
