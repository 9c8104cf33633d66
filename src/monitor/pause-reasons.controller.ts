import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { PauseReasonInput } from './dto/pause-reason-input';
import { PauseReasonsService, type PauseReasonView } from './pause-reasons.service';

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** What the form shows: what was typed before a refusal, else the stored reason or defaults. */
function formValues(form: FormState | undefined, stored?: PauseReasonView) {
  const typed = form?.values ?? {};
  if (Object.keys(typed).length > 0) {
    return {
      code: text(typed.code),
      label: text(typed.label),
      labelEn: text(typed.labelEn),
      maxMinutes: text(typed.maxMinutes),
      position: text(typed.position),
    };
  }
  return {
    code: stored?.code ?? '',
    label: stored?.label ?? '',
    labelEn: stored?.labelEn ?? '',
    maxMinutes: text(stored?.maxMinutes),
    position: text(stored?.position ?? 0),
  };
}

/** The pause reasons page (`/pause-reasons`): list, new, edit, archive and restore. */
@ApiExcludeController()
@Roles('admin')
@Controller('pause-reasons')
export class PauseReasonsController {
  constructor(private readonly reasons: PauseReasonsService) {}

  @Get()
  @Render('pause-reasons/index')
  async index() {
    const all = await this.reasons.all();
    return {
      title: 'pauseReasons.title',
      reasons: [...all.filter((r) => !r.archived), ...all.filter((r) => r.archived)],
    };
  }

  @Get('new')
  @Render('pause-reasons/form')
  newReason(@Res({ passthrough: true }) res: Response) {
    return {
      title: 'pauseReasons.new.title',
      action: '/pause-reasons',
      values: formValues(res.locals.form as FormState | undefined),
    };
  }

  @Post()
  async create(
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: PauseReasonInput,
  ): Promise<void> {
    const reason = await this.reasons.create(form);
    req.session.flash = [
      { type: 'success', text: 'pauseReasons.created', args: { code: reason.code } },
    ];
    res.redirect(303, '/pause-reasons');
  }

  @Get(':id/edit')
  @Render('pause-reasons/form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const reason = await this.reasons.get(id);
    return {
      title: 'pauseReasons.edit.title',
      action: `/pause-reasons/${id}`,
      reason,
      values: formValues(res.locals.form as FormState | undefined, reason),
    };
  }

  /** The form sends the whole reason: a field left empty is cleared (position back to 0). */
  @Post(':id')
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() form: PauseReasonInput,
  ): Promise<void> {
    const reason = await this.reasons.update(id, {
      ...form,
      labelEn: form.labelEn ?? '',
      maxMinutes: form.maxMinutes ?? null,
      position: form.position ?? 0,
    });
    req.session.flash = [
      { type: 'success', text: 'pauseReasons.saved', args: { code: reason.code } },
    ];
    res.redirect(303, '/pause-reasons');
  }

  @Post(':id/archive')
  async archive(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const reason = await this.reasons.setArchived(id, true);
    req.session.flash = [
      { type: 'success', text: 'pauseReasons.archivedDone', args: { code: reason.code } },
    ];
    res.redirect(303, '/pause-reasons');
  }

  @Post(':id/restore')
  async restore(
    @Param('id', new IdParamPipe()) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const reason = await this.reasons.setArchived(id, false);
    req.session.flash = [
      { type: 'success', text: 'pauseReasons.restoredDone', args: { code: reason.code } },
    ];
    res.redirect(303, '/pause-reasons');
  }
}
