import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AnonymousForm, Public } from '../common/access/access.decorators';
import { toErrorResponse } from '../common/errors/error-response';
import { setLayoutLocals } from '../common/views/view-locals';
import { publicBookedPage, publicFormPage } from './public-callback.page';
import { LANGUAGES, type Language } from '../config/app.config';
import { AppConfigService } from '../config/app-config.service';
import { type FormErrors, PublicCallbackService } from './public-callback.service';

/** What the confirmation page shows after the redirect (Post/Redirect/Get). */
interface BookedOnPage {
  code: string;
  message: string;
  window: string;
  date: string;
  phone: string;
}

declare module 'express-session' {
  interface SessionData {
    callbackBooked: BookedOnPage;
  }
}

const FORM_FIELDS = ['slotStart', 'phone', 'name', 'reason'] as const;

/**
 * The public "call me back" page of a campaign (`/callback/:code`): no sign-in, a phone
 * screen first. A refused form comes back at once with its status (400, 409, 429) and
 * the message beside the field, never a redirect that could lose what was typed.
 */
@ApiExcludeController()
@Public()
@AnonymousForm()
@Controller('callback')
export class PublicCallbackController {
  constructor(
    private readonly publicPage: PublicCallbackService,
    private readonly config: AppConfigService,
  ) {}

  @Get(':code')
  async form(
    @Param('code') code: string,
    @Query('lang') lang: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const language = this.language(req, res, lang);
    const page = await this.publicPage.page(code);
    res.render('callback-requests/public-form', publicFormPage(page, language, {}, {}));
  }

  @Post(':code')
  async submit(
    @Param('code') code: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const language = this.language(req, res);
    const { form, errors } = this.publicPage.readForm(body);
    let status = 400;
    let refused: FormErrors = errors;
    if (form) {
      try {
        const booked = await this.publicPage.submit(code, form, req.ip ?? 'unknown', language);
        req.session.callbackBooked = {
          code,
          message: booked.message,
          window: booked.window,
          date: booked.date,
          phone: form.phone,
        };
        res.redirect(303, `/callback/${encodeURIComponent(code)}/booked`);
        return;
      } catch (error) {
        const response = toErrorResponse(error);
        // A missing page is a 404 page; a 500 goes to the one filter, logged.
        if (response.statusCode >= 500 || response.statusCode === 404) throw error;
        status = response.statusCode;
        const field = Object.keys(response.fields ?? {})[0] ?? 'form';
        refused = {
          [FORM_FIELDS.includes(field as (typeof FORM_FIELDS)[number]) ? field : 'form']:
            response.userMessage?.key ?? 'callbackPage.errors.refused',
        };
        if (response.retryAfterSeconds)
          res.setHeader('Retry-After', String(response.retryAfterSeconds));
      }
    }
    const page = await this.publicPage.page(code);
    const values = Object.fromEntries(
      FORM_FIELDS.map((f) => [f, typeof body[f] === 'string' ? body[f] : '']),
    );
    res
      .status(status)
      .render('callback-requests/public-form', publicFormPage(page, language, refused, values));
  }

  @Get(':code/booked')
  booked(@Param('code') code: string, @Req() req: Request, @Res() res: Response): void {
    this.language(req, res);
    const booked = req.session.callbackBooked;
    if (!booked || booked.code !== code) {
      res.redirect(303, `/callback/${encodeURIComponent(code)}`);
      return;
    }
    res.render('callback-requests/public-booked', publicBookedPage(code, booked));
  }

  /**
   * The page's language: `?lang=` chosen here (kept in the session, as on the sign-in
   * page), else what the browser asks for, else the default.
   */
  private language(req: Request, res: Response, lang?: string): Language {
    setLayoutLocals(req, res, this.config.get('DEFAULT_LANGUAGE'));
    if (lang && (LANGUAGES as readonly string[]).includes(lang)) {
      req.session.lang = lang as Language;
    }
    const asked = req.acceptsLanguages(...LANGUAGES);
    const language: Language =
      req.session.lang ??
      (typeof asked === 'string' ? (asked as Language) : this.config.get('DEFAULT_LANGUAGE'));
    res.locals.lang = language;
    return language;
  }
}
