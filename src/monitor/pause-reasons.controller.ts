import { Body, Controller, Get, Param, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/access/access.decorators';
import { FormPage, type PageRedirect, savedTo } from '../common/http/form-page';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { FormState } from '../common/http/request-context';
import { PauseReasonInput } from './dto/pause-reason-input';
import { pauseReasonFormPage, pauseReasonListPage } from './pause-reasons.page';
import { PauseReasonsService } from './pause-reasons.service';

const LIST = '/pause-reasons';

/** The pause reasons page (`/pause-reasons`): list, new, edit, archive and restore. */
@ApiExcludeController()
@Roles('admin')
@Controller('pause-reasons')
export class PauseReasonsController {
  constructor(private readonly reasons: PauseReasonsService) {}

  @Get()
  @Render('pause-reasons/index')
  async index() {
    return pauseReasonListPage(await this.reasons.all());
  }

  @Get('new')
  @Render('pause-reasons/form')
  newReason(@Res({ passthrough: true }) res: Response) {
    return pauseReasonFormPage(res.locals.form as FormState | undefined);
  }

  @Post()
  @FormPage()
  async create(@Body() form: PauseReasonInput): Promise<PageRedirect> {
    const reason = await this.reasons.create(form);
    return savedTo(LIST, 'pauseReasons.created', { code: reason.code });
  }

  @Get(':id/edit')
  @Render('pause-reasons/form')
  async edit(
    @Param('id', new IdParamPipe()) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const reason = await this.reasons.get(id);
    return pauseReasonFormPage(res.locals.form as FormState | undefined, reason);
  }

  /** The form sends the whole reason: a field left empty is cleared (position back to 0). */
  @Post(':id')
  @FormPage()
  async update(
    @Param('id', new IdParamPipe()) id: number,
    @Body() form: PauseReasonInput,
  ): Promise<PageRedirect> {
    const reason = await this.reasons.update(id, {
      ...form,
      labelEn: form.labelEn ?? '',
      maxMinutes: form.maxMinutes ?? null,
      position: form.position ?? 0,
    });
    return savedTo(LIST, 'pauseReasons.saved', { code: reason.code });
  }

  @Post(':id/archive')
  @FormPage()
  async archive(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const reason = await this.reasons.setArchived(id, true);
    return savedTo(LIST, 'pauseReasons.archivedDone', { code: reason.code });
  }

  @Post(':id/restore')
  @FormPage()
  async restore(@Param('id', new IdParamPipe()) id: number): Promise<PageRedirect> {
    const reason = await this.reasons.setArchived(id, false);
    return savedTo(LIST, 'pauseReasons.restoredDone', { code: reason.code });
  }
}
