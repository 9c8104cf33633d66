import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import type { Language } from '../../config/app.config';
import { AppConfigService } from '../../config/app-config.service';
import { argsIn } from '../errors/domain-errors';
import { ErrorResponse, toErrorResponse } from '../errors/error-response';
import { saidInLanguage } from '../errors/said';
import { setLayoutLocals } from '../views/view-locals';
import { type FormPageContext, pathWithParams, refusedForm, type Say } from './form-page';
import { type FormState, isApiRequest, pathOf } from './request-context';

const SECRET_FIELDS = /password|_csrf|token/i;
const TITLED_STATUSES = [400, 401, 403, 404, 409, 429, 500, 503];
/** A refused form travels back through the session, whose row holds 64 KB on MySQL (TEXT). */
const SESSION_FORM_BYTES = 48_000;

/**
 * The one place errors become HTTP: JSON `{statusCode, message}` for the API, and for
 * browsers an error page, a redirect to sign in, or (after a form submission) a flash
 * message and a redirect back to the form with what was typed.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(
    private readonly config: AppConfigService,
    private readonly i18n: I18nService,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const error = toErrorResponse(exception);

    if (error.statusCode >= 500) {
      this.logger.error(
        { err: exception, requestId: req.id, method: req.method, url: req.originalUrl },
        'request failed',
      );
    }
    if (res.headersSent) return;
    if (error.retryAfterSeconds) res.setHeader('Retry-After', String(error.retryAfterSeconds));

    if (this.wantsJson(req)) {
      const { statusCode, message, details } = error;
      // A signed-in browser also gets the refusal in its user's language; a token's answer
      // stays as integrations know it.
      const said =
        req.user?.via === 'session'
          ? { said: saidInLanguage(error, this.sayIn(req.user.uiLanguage)) }
          : {};
      res.status(statusCode).json({ statusCode, message, ...details, ...said });
      return;
    }
    this.respondToBrowser(req, res, error);
  }

  private wantsJson(req: Request): boolean {
    if (isApiRequest(req)) return true;
    const accept = req.headers.accept ?? '';
    return accept.includes('application/json') && !accept.includes('text/html');
  }

  private respondToBrowser(req: Request, res: Response, error: ErrorResponse): void {
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (isGet && error.statusCode === 401) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (isGet && error.statusCode === 400 && req.formPage?.renderInPlace) {
      void this.filterInPlace(req, res, error);
      return;
    }
    if (!isGet && error.statusCode < 500 && req.session) {
      void this.backToForm(req, res, error).catch((failure: unknown) => {
        this.logger.error({ err: failure, requestId: req.id }, 'refused form not answered');
        if (!res.headersSent) res.status(500).end();
      });
      return;
    }
    setLayoutLocals(req, res, this.config.get('DEFAULT_LANGUAGE'));
    const message = Array.isArray(error.message) ? error.message.join('; ') : error.message;
    res.status(error.statusCode).render('errors/error', {
      title: TITLED_STATUSES.includes(error.statusCode)
        ? `errors.${error.statusCode}.title`
        : 'errors.generic.title',
      statusCode: error.statusCode,
      explained: [403, 404, 500].includes(error.statusCode),
      // A 503 says what to do (try again); other server errors say nothing of their cause.
      message: error.statusCode >= 500 && error.statusCode !== 503 ? undefined : message,
    });
  }

  private languageOf(req: Request): Language {
    return req.user?.uiLanguage ?? req.session?.lang ?? this.config.get('DEFAULT_LANGUAGE');
  }

  /** Says an i18n key in `lang`; undefined when there are no words for it. */
  private sayIn(lang: Language): Say {
    return (key, args) => {
      const said = String(this.i18n.t(key, { lang, args: argsIn(args, lang) }));
      return said === key ? undefined : said;
    };
  }

  /**
   * A refused form: the flash and the errors beside the fields (in the user's language),
   * then back to the form with what was typed; a form page whose input is too big for the
   * session row is shown again straight from the POST.
   */
  private async backToForm(req: Request, res: Response, error: ErrorResponse): Promise<void> {
    const page = req.formPage;
    const say = this.sayIn(this.languageOf(req));
    const { flash, errors } = refusedForm(error, page, say);
    // A form page that shows no error beside a field keeps nothing of the input either.
    const kept = !page?.fields || Object.keys(errors).length > 0;
    const values = kept ? (page?.values?.(req) ?? this.safeValues(req.body)) : {};
    const form: FormState = { errors, values };
    if (page?.explain) {
      const answer = await page.explain({ form, flash, refusal: error, say });
      req.session.flash = answer.flash;
      req.session.formState = { errors: answer.errors, values: answer.values };
      res.redirect(303, this.formPath(req, page));
      return;
    }
    const tooBig = Buffer.byteLength(JSON.stringify(form.values)) > SESSION_FORM_BYTES;
    if (page?.renderInPlace && (page.answerInPlace || tooBig)) {
      setLayoutLocals(req, res, this.config.get('DEFAULT_LANGUAGE'));
      res.status(error.statusCode);
      await page.renderInPlace(res, { form, flash, refusal: error, say });
      return;
    }
    req.session.flash = flash;
    req.session.formState = form;
    res.redirect(303, this.formPath(req, page));
  }

  /** A list page's wrong filter, said beside it on the page itself (see ListPage). */
  private async filterInPlace(req: Request, res: Response, error: ErrorResponse): Promise<void> {
    try {
      setLayoutLocals(req, res, this.config.get('DEFAULT_LANGUAGE'));
      res.status(error.statusCode);
      const form: FormState = { errors: error.fields ?? {}, values: {} };
      await req.formPage!.renderInPlace!(res, {
        form,
        flash: [],
        refusal: error,
        say: () => undefined,
      });
    } catch (failure) {
      this.logger.error({ err: failure, requestId: req.id }, 'refused filter not answered');
      if (!res.headersSent) res.status(500).end();
    }
  }

  private formPath(req: Request, page: FormPageContext | undefined): string {
    if (typeof page?.back === 'function') return page.back(req);
    if (typeof page?.back === 'string') return pathWithParams(page.back, req.params);
    return this.backTo(req);
  }

  /** Back to the page the form came from (same origin only), else to the same path. */
  private backTo(req: Request): string {
    const referer = req.headers.referer;
    if (referer) {
      try {
        const url = new URL(referer);
        if (url.host === req.headers.host) return url.pathname + url.search;
      } catch {
        // an unparsable Referer is ignored
      }
    }
    return pathOf(req);
  }

  private safeValues(body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null) return {};
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>)
        .filter(([key]) => !SECRET_FIELDS.test(key))
        .map(([key, value]) => [key, typeof value === 'string' ? value.slice(0, 2000) : value]),
    );
  }
}
