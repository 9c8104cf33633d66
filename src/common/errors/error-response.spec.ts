import { BadRequestException, NotFoundException } from '@nestjs/common';
import {
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
} from './domain-errors';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('maps each domain error to its status, keeping the field and details', () => {
    expect(toErrorResponse(new ValidationError('steps', 'an outcome step is required'))).toEqual({
      statusCode: 400,
      message: 'steps: an outcome step is required',
      fields: { steps: 'steps: an outcome step is required' },
    });
    expect(toErrorResponse(new NotFoundError('contact', 7))).toEqual({
      statusCode: 404,
      message: 'contact 7 not found',
    });
    expect(
      toErrorResponse(new ConflictError('slot taken', 'appointment', { nearest: ['10:00'] })),
    ).toMatchObject({
      statusCode: 409,
      details: { nearest: ['10:00'] },
    });
    expect(toErrorResponse(new TooManyRequestsError('slow down', 60))).toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 60,
    });
  });

  it('answers 503 with Retry-After when the database could not do the work now, 500 otherwise', () => {
    const wrapped = (driverError: object) =>
      Object.assign(new Error('query failed'), { driverError });
    const unavailable = [
      wrapped({ code: 'ER_LOCK_DEADLOCK' }),
      wrapped({ code: 'ER_UNKNOWN_COM_ERROR' }),
      Object.assign(new Error('Connection lost'), {
        code: 'PROTOCOL_CONNECTION_LOST',
        fatal: true,
      }),
      Object.assign(new Error('closed'), { fatal: true }),
      Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    ];
    for (const error of unavailable) {
      expect(toErrorResponse(error)).toMatchObject({ statusCode: 503, retryAfterSeconds: 1 });
    }
    expect(toErrorResponse(wrapped({ code: 'ER_PARSE_ERROR', fatal: false }))).toMatchObject({
      statusCode: 500,
    });
    expect(toErrorResponse(new Error('a bug'))).toMatchObject({ statusCode: 500 });
  });

  it('keeps Nest HTTP exceptions as they are', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x'))).toEqual({
      statusCode: 404,
      message: 'Cannot GET /x',
    });
    expect(toErrorResponse(new BadRequestException(['a is wrong']))).toEqual({
      statusCode: 400,
      message: ['a is wrong'],
    });
  });

  it('names the body for parser errors and hides everything else behind a 500', () => {
    expect(
      toErrorResponse({
        status: 413,
        type: 'entity.too.large',
        expose: true,
        message: 'request entity too large',
      }),
    ).toEqual({
      statusCode: 413,
      message: 'body: request body is too large',
    });
    expect(toErrorResponse(new Error('ER_NO_SUCH_TABLE: secret detail'))).toEqual({
      statusCode: 500,
      message: 'Internal server error',
    });
    expect(toErrorResponse('a string')).toEqual({
      statusCode: 500,
      message: 'Internal server error',
    });
  });
});
