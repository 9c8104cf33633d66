/**
 * Errors thrown by services, in the call centre's words. The one global filter maps
 * them to HTTP (see error-response.ts); services never throw HttpException.
 */
export type DomainErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_many_requests'
  | 'unavailable';

/** A word said differently in each language (the weekday names of a calling window). */
export interface InLanguages {
  it: string;
  en: string;
}

/** A text written by `write` in each language (a time, an amount, a window). */
export function inEachLanguage(write: (lang: 'it' | 'en') => string): InLanguages {
  return { it: write('it'), en: write('en') };
}

/** The arguments of an i18n key: texts, numbers, or a text given in each language. */
export type SayArgs = Record<string, string | number | InLanguages>;

/** The arguments as said in `lang` (English for a language without its own words). */
export function argsIn(
  args: SayArgs | undefined,
  lang: string,
): Record<string, string | number> | undefined {
  if (!args) return undefined;
  return Object.fromEntries(
    Object.entries(args).map(([name, value]) => [
      name,
      typeof value === 'object' ? (lang === 'it' ? value.it : value.en) : value,
    ]),
  );
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Extra JSON fields for API clients (e.g. the nearest free slots on a 409). */
  readonly details?: Record<string, unknown>;
  /** How pages say it, in the user's language (the API keeps the English message). */
  userMessage?: { key: string; args?: SayArgs };

  /** Attaches the i18n key that pages and browsers show instead of the English message. */
  say(key: string, args?: SayArgs): this {
    this.userMessage = { key, args };
    return this;
  }
}

/** 400 naming the field: the message is prefixed with it (`steps: ...`) unless it already starts with it. */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message.startsWith(field) ? message : `${field}: ${message}`);
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(what: string, id?: string | number) {
    super(id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    message: string,
    readonly field?: string,
    override readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class TooManyRequestsError extends DomainError {
  readonly kind = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** 503: the work could not be done now (a lock conflict that outlasted its retries); ask again. */
export class BusyError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
