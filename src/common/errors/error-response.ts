import { MAX_JSON_DEPTH } from '../http/json-depth';
import { HttpException, HttpStatus } from '@nestjs/common';
import { isDatabaseUnavailable } from '../database/sql-dialect';
import { DomainError, DomainErrorKind, type SayArgs } from './domain-errors';

export interface ErrorResponse {
  statusCode: number;
  /** What went wrong, naming the field; an array when several fields are wrong. */
  message: string | string[];
  /** field → message, for re-rendering a form next to the inputs. */
  fields?: Record<string, string>;
  /** field → the validation rule it broke (e.g. `minLength`), for translated form errors. */
  fieldRules?: Record<string, string>;
  details?: Record<string, unknown>;
  retryAfterSeconds?: number;
  /** The i18n key pages show instead of `message`, when the error has one. */
  userMessage?: { key: string; args?: SayArgs };
}

/** Thrown by the global ValidationPipe: one message per offending field. */
export class RequestValidationException extends HttpException {
  /** What the answer says: one message per field (a query's one bad value as a text). */
  readonly said: string | string[];

  constructor(
    readonly fields: Record<string, string>,
    readonly fieldRules: Record<string, string> = {},
    /** A query string: one bad value is said as a text, as the API always said it. */
    readonly inQuery = false,
  ) {
    const messages = Object.values(fields);
    const said = inQuery && messages.length === 1 ? messages[0]! : messages;
    super({ statusCode: HttpStatus.BAD_REQUEST, message: said }, HttpStatus.BAD_REQUEST);
    this.said = said;
  }
}

function statusOf(kind: DomainErrorKind): number {
  switch (kind) {
    case 'validation':
      return HttpStatus.BAD_REQUEST;
    case 'unauthorized':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'too_many_requests':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

/** Errors from Express middleware (body-parser, csrf) carry a status and an expose flag. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.too.large': 'body: request body is too large',
  'entity.too.deep': `body: JSON nested more than ${MAX_JSON_DEPTH} levels deep`,
  'encoding.unsupported': 'body: unsupported encoding',
  'charset.unsupported': 'body: unsupported encoding',
};

/** body-parser's errors, said in terms of the request body. */
export function bodyParserMessage(error: HttpLikeError): string | undefined {
  if (error.type === 'entity.parse.failed') {
    return `body: malformed JSON (${error.message ?? 'cannot parse'})`;
  }
  return error.type === undefined ? undefined : BODY_PARSER_MESSAGES[error.type];
}

/** Turns anything thrown into the public error shape; undefined status means a 500. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) {
    const response: ErrorResponse = { statusCode: statusOf(error.kind), message: error.message };
    if (error.userMessage) response.userMessage = error.userMessage;
    if ('field' in error && typeof error.field === 'string') {
      response.fields = { [error.field]: error.message };
    }
    if (error.details) response.details = error.details;
    if ('retryAfterSeconds' in error && typeof error.retryAfterSeconds === 'number') {
      response.retryAfterSeconds = error.retryAfterSeconds;
    }
    return response;
  }
  if (error instanceof RequestValidationException) {
    return {
      statusCode: HttpStatus.BAD_REQUEST,
      message: error.said,
      fields: error.fields,
      fieldRules: error.fieldRules,
    };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const body = error.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? (body as { message: string | string[] }).message
        : error.message;
    return { statusCode, message };
  }
  if (typeof error === 'object' && error !== null) {
    const httpLike = error as HttpLikeError;
    const statusCode = httpLike.status ?? httpLike.statusCode;
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
        return {
          statusCode,
          message: 'invalid csrf token: reload the page and try again',
          userMessage: { key: 'errors.csrf' },
        };
      }
      return {
        statusCode,
        message:
          bodyParserMessage(httpLike) ??
          (httpLike.expose ? (httpLike.message ?? 'Bad request') : 'Bad request'),
      };
    }
  }
  if (isDatabaseUnavailable(error)) {
    // Whatever happened to the work, it was not confirmed: the caller may ask again.
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'the database is busy or being switched over: try again in a moment',
      retryAfterSeconds: 1,
      userMessage: { key: 'errors.busy' },
    };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

/**
 * What a page says about a refused form: 400s and 409s go back beside the fields; a missing
 * record, a role that may not, or a fault are rethrown, for the error page.
 */
export function pageRefusal(error: unknown): ErrorResponse {
  const refusal = toErrorResponse(error);
  if (refusal.statusCode >= 500 || refusal.statusCode === 403 || refusal.statusCode === 404) {
    throw error;
  }
  return refusal;
}
