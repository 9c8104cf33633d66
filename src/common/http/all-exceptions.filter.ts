import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import type { Language } from '../../config/app.config';
import { AppConfigService } from '../../config/app-config.service';
import { ErrorResponse, toErrorResponse } from '../errors/error-response';
import { setLayoutLocals } from '../views/view-locals';
import { isApiRequest, pathOf } from './request-context';

const SECRET_FIELDS = /password|_csrf|token/i;
const TITLED_STATUSES = [400, 401, 403, 404, 409, 429, 500];

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
      res.status(statusCode).json({ statusCode, message, ...details });
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
    if (!isGet && error.statusCode < 500 && req.session) {
      const messages = Array.isArray(error.message) ? error.message : [error.message];
      const fields = error.fields ?? {};
      // Errors that belong to fields are shown beside them; the flash only points there.
      req.session.flash = error.userMessage
        ? [{ type: 'error', text: error.userMessage.key, args: error.userMessage.args }]
        : Object.keys(fields).length > 0
          ? [{ type: 'error', text: 'errors.form' }]
          : messages.map((text) => ({ type: 'error' as const, text, literal: true }));
      req.session.formState = {
        errors: this.translateFields(fields, error.fieldRules ?? {}, this.languageOf(req)),
        values: this.safeValues(req.body),
      };
      res.redirect(303, this.backTo(req));
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
      message: error.statusCode >= 500 ? undefined : message,
    });
  }

  private languageOf(req: Request): Language {
    return req.user?.uiLanguage ?? req.session?.lang ?? this.config.get('DEFAULT_LANGUAGE');
  }

  /** A broken rule in the user's language when we have words for it, else the server's message. */
  private translateFields(
    fields: Record<string, string>,
    rules: Record<string, string>,
    lang: Language,
  ): Record<string, string> {
    return Object.fromEntries(
      Object.entries(fields).map(([field, message]) => {
        const key = `validation.${rules[field] ?? ''}`;
        const translated = rules[field] ? String(this.i18n.t(key, { lang })) : key;
        return [field, translated === key ? message : translated];
      }),
    );
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
