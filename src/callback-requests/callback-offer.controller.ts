import { Controller, Get, Param, Post, Render, Req } from '@nestjs/common';
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
import { IdParamPipe } from '../common/http/id-param.pipe';
import type { AuthenticatedUser } from '../common/http/request-context';
import { formValuesFromBody, formValuesFromOffer, offerInputFromForm } from './callback-offer-form';
import { callbackOfferPage, refusedOffer } from './callback-offer.page';
import { CallbackOfferService } from './callback-offer.service';
import { CallbackOfferDto } from './dto/callback-offer.dto';

const origin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * `/campaigns/:id/callback-offer`: a campaign's callback offer (slots, capacity per weekday
 * and hour, public page, telephony wrap-up) on one page. Coordinators read it; admins change
 * it through the API's rules. A refusal comes back at once (400) beside its field.
 */
@ApiExcludeController()
@Roles('admin', 'coordinator')
@Controller('campaigns')
export class CallbackOfferController {
  constructor(private readonly offer: CallbackOfferService) {}

  @Get(':id/callback-offer')
  @Render('callback-requests/offer')
  async show(
    @Param('id', new IdParamPipe()) id: number,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ) {
    const editor = await this.offer.editor(id);
    const values = formValuesFromOffer(editor.offer);
    return callbackOfferPage(editor, user.role === 'admin', origin(req), values);
  }

  @Post(':id/callback-offer')
  @Roles('admin')
  @FormPage({ inPlace: 'refusedInPlace', answerInPlace: true })
  async save(
    @Param('id', new IdParamPipe()) id: number,
    @FormBody((body) => offerInputFromForm(formValuesFromBody(body)).input) offer: CallbackOfferDto,
  ): Promise<PageRedirect> {
    await this.offer.configure(id, offer);
    return savedTo(`/campaigns/${id}/callback-offer`, 'callbackOffer.saved');
  }

  /** A refused offer: the page again (400), each error beside its field or cell (see FormPage). */
  async refusedInPlace(
    req: Request,
    res: Response,
    { refusal, say }: RefusedInPlace,
  ): Promise<void> {
    const editor = await this.offer.editor(Number(req.params.id));
    const values = formValuesFromBody(req.body as Record<string, unknown>);
    const refused = refusedOffer(refusal, offerInputFromForm(values).cells, say);
    res.locals.flash = [{ type: 'error', text: 'errors.form' }];
    res.render(
      'callback-requests/offer',
      callbackOfferPage(editor, req.user?.role === 'admin', origin(req), values, refused),
    );
  }
}
