import { Controller, Get, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../common/access/access.decorators';
import {
  FormBody,
  FormPage,
  type PageRedirect,
  type RefusedInPlace,
  savedTo,
} from '../common/http/form-page';
import type { AuthenticatedUser } from '../common/http/request-context';
import { FrequencyCapDto } from './dto/frequency-cap.dto';
import { FrequencyCapSettingsService } from './frequency-cap-settings.service';
import { capInputFromForm, formValuesFromBody, formValuesFromSettings } from './frequency-cap-form';
import { FREQUENCY_CAP_PAGE, frequencyCapPage, refusedCap } from './frequency-cap.page';

/**
 * `/settings/frequency-cap`: the frequency cap across campaigns on one page. Coordinators
 * read it (as the API lets them); admins change it through the service the API uses
 * (PUT /api/v1/settings/frequency-cap). A refusal comes back at once (400) beside its field.
 */
@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('settings/frequency-cap')
export class FrequencyCapController {
  constructor(private readonly settings: FrequencyCapSettingsService) {}

  @Get()
  @Render('frequency-cap/settings')
  async show(@CurrentUser() user: AuthenticatedUser) {
    const values = formValuesFromSettings(await this.settings.current());
    return frequencyCapPage(values, user.role === 'admin');
  }

  @Post()
  @Roles('admin')
  @FormPage({ inPlace: 'refusedInPlace', answerInPlace: true })
  async save(
    @FormBody((body) => capInputFromForm(formValuesFromBody(body))) change: FrequencyCapDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PageRedirect> {
    await this.settings.update(change, user.id);
    return savedTo(FREQUENCY_CAP_PAGE, 'frequencyCap.saved');
  }

  /** A refused change: the page again (400), each error beside its field (see FormPage). */
  refusedInPlace(req: Request, res: Response, { refusal, say }: RefusedInPlace): Promise<void> {
    const values = formValuesFromBody(req.body as Record<string, unknown>);
    res.locals.flash = [{ type: 'error', text: 'errors.form' }];
    res.render('frequency-cap/settings', frequencyCapPage(values, true, refusedCap(refusal, say)));
    return Promise.resolve();
  }
}
