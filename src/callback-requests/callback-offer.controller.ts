import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { describeCallingHours } from '../campaigns/calling-hours';
import { type ErrorResponse, pageRefusal } from '../common/errors/error-response';
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { redirectWithFlash, renderRefusedForm } from '../common/views/page-answers';
import { AppConfigService } from '../config/app-config.service';
import {
  cellKey,
  cellOf,
  formValuesFromBody,
  formValuesFromOffer,
  type OfferFormValues,
  offerInputFromForm,
} from './callback-offer-form';
import { type CallbackOfferEditor, CallbackOfferService } from './callback-offer.service';
import { CallbackOfferDto } from './dto/callback-offer.dto';

/** The page's own wording of a refused field (the rules' English messages are the API's). */
const FIELD_KEYS: Record<string, string> = {
  slotMinutes: 'callbackOffer.errors.slotMinutes',
  leadMinutes: 'callbackOffer.errors.leadMinutes',
  daysAhead: 'callbackOffer.errors.daysAhead',
  defaultCapacity: 'callbackOffer.errors.capacity',
  publicPage: 'callbackOffer.errors.publicPage',
  wrapUpSeconds: 'callbackOffer.errors.wrapUpSeconds',
  wrapUpStatusId: 'callbackOffer.errors.wrapUpStatusId',
  capacity: 'callbackOffer.errors.capacity',
};

/** A refused cell of the grid, listed under it with its weekday and hour. */
interface CellError {
  day?: number;
  time?: string;
  message: string;
}

interface Refused {
  errors: Record<string, string>;
  cellErrors: CellError[];
}

const time = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/**
 * `/campaigns/:id/callback-offer`: a campaign's callback offer (slots, capacity per weekday
 * and hour, public page, telephony wrap-up) on one page. Coordinators read it; admins change
 * it through the API's rules. A refusal comes back at once (400) beside its field.
 */
@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('campaigns')
export class CallbackOfferController {
  private readonly validation = new AppValidationPipe();

  constructor(
    private readonly offer: CallbackOfferService,
    private readonly i18n: I18nService,
    private readonly config: AppConfigService,
  ) {}

  @Get(':id/callback-offer')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const editor = await this.offer.editor(id);
    res.render(
      'callback-requests/offer',
      this.page(editor, user, req, formValuesFromOffer(editor.offer)),
    );
  }

  @Post(':id/callback-offer')
  @Roles('admin')
  async save(
    @Param('id', new IdParamPipe()) id: number,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = formValuesFromBody(body);
    const { input, cells } = offerInputFromForm(values);
    try {
      const dto = (await this.validation.transform(input, {
        type: 'body',
        metatype: CallbackOfferDto,
      })) as CallbackOfferDto;
      await this.offer.configure(id, dto);
    } catch (error) {
      const refusal = pageRefusal(error);
      const editor = await this.offer.editor(id);
      renderRefusedForm(
        req,
        res,
        this.config.get('DEFAULT_LANGUAGE'),
        refusal.statusCode,
        'callback-requests/offer',
        this.page(editor, user, req, values, this.refused(refusal, cells, user)),
      );
      return;
    }
    await redirectWithFlash(req, res, `/campaigns/${id}/callback-offer`, [
      { type: 'success', text: 'callbackOffer.saved' },
    ]);
  }

  /** The refusal's fields in the user's language; the grid's beside their cells. */
  private refused(refusal: ErrorResponse, cells: string[], user: AuthenticatedUser): Refused {
    const say = (key: string) => String(this.i18n.t(key, { lang: user.uiLanguage }));
    const errors: Record<string, string> = {};
    const cellErrors: CellError[] = [];
    for (const [field, english] of Object.entries(refusal.fields ?? {})) {
      const inGrid = /^capacities(?:\.([0-9]+))?/.exec(field);
      const own = refusal.userMessage?.key;
      if (inGrid) {
        const key = inGrid[1] === undefined ? undefined : cells[Number(inGrid[1])];
        const at = key === undefined ? undefined : cellOf(key);
        const message = say(own ?? FIELD_KEYS.capacity!);
        if (key !== undefined) errors[`capacity.${key}`] = message;
        cellErrors.push(at ? { day: at.day, time: time(at.hour), message } : { message });
      } else {
        const translated = own ?? FIELD_KEYS[field];
        errors[field] = translated ? say(translated) : english;
      }
    }
    if (Object.keys(errors).length === 0 && cellErrors.length === 0) {
      const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
      errors.form = messages.join(' ');
    }
    return { errors, cellErrors };
  }

  private page(
    editor: CallbackOfferEditor,
    user: AuthenticatedUser,
    req: Request,
    values: OfferFormValues,
    refused: Refused = { errors: {}, cellErrors: [] },
  ) {
    const { campaign, offer } = editor;
    const statusId = values.wrapUpStatusId;
    return {
      title: 'callbackOffer.title',
      campaign,
      canEdit: user.role === 'admin',
      action: `/campaigns/${campaign.id}/callback-offer`,
      callingHours: describeCallingHours(campaign),
      // The link of the page as saved, not as typed.
      publicUrl: offer.publicPage
        ? `${req.protocol}://${req.get('host') ?? 'localhost'}/callback/${encodeURIComponent(campaign.code)}`
        : undefined,
      values,
      form: { errors: refused.errors, values: {} },
      cellErrors: refused.cellErrors,
      invalid: Object.keys(refused.errors).length > 0 || refused.cellErrors.length > 0,
      savedDefault: offer.defaultCapacity,
      hours: editor.hours.map((hour) => ({ hour, label: time(hour) })),
      rows: editor.days.map((day) => ({
        day,
        cells: editor.hours.map((hour) => {
          const key = cellKey(day, hour);
          return {
            key,
            hour,
            value: values.capacity[key] ?? '',
            invalid: refused.errors[`capacity.${key}`] !== undefined,
          };
        }),
      })),
      wrapUpStatuses: editor.wrapUpStatuses.map((s) => ({
        ...s,
        selected: String(s.id) === statusId,
      })),
    };
  }
}
