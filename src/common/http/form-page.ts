import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  Redirect,
  SetMetadata,
  type Type,
  UseInterceptors,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import type { SayArgs } from '../errors/domain-errors';
import type { ErrorResponse } from '../errors/error-response';
import type { FlashMessage, FormState } from './request-context';

/**
 * How a page's form answers: a refusal (a 400 from the DTO, or a domain error thrown by the
 * service) goes back to the form through the global filter, each error beside its field
 * with what was typed; a success is a 303 with a flash message for the next page.
 */
export interface FormPageOptions {
  /**
   * Where a refusal goes back to: a path whose `:name`s are the route's parameters
   * (`/campaigns/:id/edit`), or one made from the request. Default: the page the form came
   * from (same-origin Referer).
   */
  back?: string | ((req: Request) => string);
  /**
   * The fields this form shows an error beside, each with the page's own words for it (an
   * i18n key, used when the broken rule has none). Errors on other fields go to the flash.
   * Default: every field.
   */
  fields?: Record<string, string | null>;
  /**
   * Refusals of these statuses are said in the flash alone: the error's own words, else this
   * key (e.g. `404: 'callbacks.errors.gone'`) or the flash this function makes of it.
   */
  statusKeys?: Partial<
    Record<number, string | ((refusal: ErrorResponse, say: Say) => FlashMessage)>
  >;
  /**
   * A domain error's own words (see DomainError.say), said beside its field, are not said
   * again in the flash: it points there. Default: said in both.
   */
  ownWordsBesideField?: boolean;
  /** What is kept of the input to show again. Default: the body (secrets left out). */
  values?: (req: Request) => Record<string, unknown>;
  /**
   * A controller method `(req, res, refused: RefusedInPlace)` that renders the form straight
   * from the POST (the refusal's status) when what was typed is too big to travel back
   * through the session, or always with `answerInPlace`.
   */
  inPlace?: string;
  answerInPlace?: boolean;
  /**
   * A controller method `(req, refused: RefusedInPlace) => Promise<RefusedAnswer>` that says
   * the refusal in the page's own words, when fields, statusKeys and values cannot.
   */
  explain?: string;
}

/** A refused form answered with the page itself (see FormPageOptions.inPlace). */
export interface RefusedInPlace {
  form: FormState;
  flash: FlashMessage[];
  refusal: ErrorResponse;
  say: Say;
}

/** How the next page shows a refused form (see FormPageOptions.explain). */
export interface RefusedAnswer {
  flash: FlashMessage[];
  errors: Record<string, string>;
  values: Record<string, unknown>;
}

/** What the filter needs of a form page to answer a refusal (put on the request). */
export interface FormPageContext extends Omit<FormPageOptions, 'inPlace' | 'explain'> {
  renderInPlace?: (res: Response, refused: RefusedInPlace) => Promise<void>;
  explain?: (refused: RefusedInPlace) => Promise<RefusedAnswer>;
}

declare module 'express-serve-static-core' {
  interface Request {
    formPage?: FormPageContext;
  }
}

/** A page's answer to a form: where to go (303) and what the next page says. */
export interface PageRedirect {
  url: string;
  statusCode: number;
  flash?: FlashMessage[];
}

export function redirectTo(url: string, ...flash: FlashMessage[]): PageRedirect {
  return flash.length > 0 ? { url, statusCode: 303, flash } : { url, statusCode: 303 };
}

/** The usual success: back to a page with a message (an i18n key and its arguments). */
export function savedTo(
  url: string,
  text: string,
  args?: Record<string, string | number>,
): PageRedirect {
  return redirectTo(url, args ? { type: 'success', text, args } : { type: 'success', text });
}

const FORM_PAGE = 'page:form';

@Injectable()
export class FormPageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const { inPlace, explain, ...options } =
      this.reflector.get<FormPageOptions | undefined>(FORM_PAGE, context.getHandler()) ?? {};
    const page: FormPageContext = options;
    req.formPage = page;
    if (inPlace || explain) {
      const type: Type<Record<string, unknown>> = context.getClass();
      const controller = this.modules.get(type, { strict: false });
      const method = (name: string) => {
        const found = controller[name];
        if (typeof found !== 'function') throw new Error(`FormPage: no method ${name}`);
        return (...args: unknown[]) =>
          (found as (...a: unknown[]) => Promise<never>).apply(controller, [req, ...args]);
      };
      if (inPlace) page.renderInPlace = method(inPlace);
      if (explain) page.explain = method(explain);
    }
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!isPageRedirect(answer)) return answer;
        if (answer.flash) req.session.flash = answer.flash;
        return { url: answer.url, statusCode: answer.statusCode };
      }),
    );
  }
}

function isPageRedirect(value: unknown): value is PageRedirect {
  return typeof value === 'object' && value !== null && 'url' in value && 'statusCode' in value;
}

/**
 * A handler that answers a form: it returns a `PageRedirect` (303, see `redirectTo`), and a
 * refusal goes back to the form as `options` say (see AllExceptionsFilter).
 */
export const FormPage = (options: FormPageOptions = {}): MethodDecorator =>
  applyDecorators(
    SetMetadata(FORM_PAGE, options),
    Redirect('/', 303),
    UseInterceptors(FormPageInterceptor),
  );

/**
 * A page whose query string is a typed DTO: a wrong value (refused by the global pipe, or a
 * ValidationError of the service) is answered by the page itself with a 400, the error
 * beside its filter, by the controller method named `inPlace` (see FormPageOptions).
 */
export const ListPage = (options: { inPlace: string }): MethodDecorator =>
  applyDecorators(SetMetadata(FORM_PAGE, options), UseInterceptors(FormPageInterceptor));

/**
 * A form's body mapped into the shape of a DTO (a browser sends text, repeated fields,
 * checkboxes), then validated against the parameter's type by the global pipe.
 */
export const FormBody = createParamDecorator(
  (
    toInput: ((body: Record<string, unknown>) => unknown) | undefined,
    context: ExecutionContext,
  ) => {
    const body = context.switchToHttp().getRequest<Request>().body as unknown;
    const fields =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    return toInput ? toInput(fields) : fields;
  },
);

/** `/campaigns/:id/edit` with the request's `id`. */
export function pathWithParams(
  path: string,
  params: Record<string, string | string[] | undefined>,
): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodeURIComponent(String(params[name] ?? '')),
  );
}

/** Says an i18n key in the user's language; undefined when there are no words for it. */
export type Say = (key: string, args?: SayArgs) => string | undefined;

/**
 * A refused form as the next page shows it: the flash, and the errors beside the fields in
 * the user's language (the error's own words, else the broken rule's, else the page's
 * words for the field, else the server's message). Without a form page: every field, and the service's own words
 * for the refusal in the flash.
 */
export function refusedForm(
  refusal: ErrorResponse,
  page: Omit<FormPageOptions, 'explain'> | undefined,
  say: Say,
): { flash: FlashMessage[]; errors: Record<string, string> } {
  const statusKey = page?.statusKeys?.[refusal.statusCode];
  if (statusKey) {
    const { userMessage } = refusal;
    if (userMessage) return { flash: refusalFlash(refusal, false), errors: {} };
    const flash =
      typeof statusKey === 'string'
        ? { type: 'error' as const, text: statusKey }
        : statusKey(refusal, say);
    return { flash: [flash], errors: {} };
  }
  const shown = Object.entries(refusal.fields ?? {}).filter(
    ([field]) => !page?.fields || field in page.fields,
  );
  const ruleWords = (field: string) => {
    const rule = refusal.fieldRules?.[field];
    if (!rule || (rule === 'required' && page?.fields?.[field])) return undefined;
    return say(`validation.${rule}`);
  };
  // A domain error's own words beside its field: never the English message on a page.
  const own = refusal.userMessage;
  const errors = Object.fromEntries(
    shown.map(([field, message]) => {
      const fieldKey = page?.fields?.[field];
      const words =
        (own ? say(own.key, own.args) : undefined) ??
        ruleWords(field) ??
        (fieldKey ? say(fieldKey) : undefined) ??
        message;
      return [field, words];
    }),
  );
  const besideFields = shown.length > 0;
  if (own && besideFields && page?.ownWordsBesideField) {
    return { flash: [{ type: 'error', text: 'errors.form' }], errors };
  }
  return { flash: refusalFlash(refusal, besideFields), errors };
}

function refusalFlash(refusal: ErrorResponse, besideFields: boolean): FlashMessage[] {
  if (refusal.userMessage) {
    const { key, args } = refusal.userMessage;
    return [args ? { type: 'error', text: key, args } : { type: 'error', text: key }];
  }
  if (besideFields) return [{ type: 'error', text: 'errors.form' }];
  const messages = Array.isArray(refusal.message) ? refusal.message : [refusal.message];
  return messages.map((text) => ({ type: 'error', text, literal: true }));
}
