import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { isCalendarDay } from '../time/calendar-day';

/**
 * Query-string fields for typed query DTOs (validated by the global pipe): a query value
 * arrives as text, or as an array when repeated; each rule's message names the field.
 */

/** A GET form sends its empty fields too: empty means "not given". */
const given = (value: unknown): unknown => (value === '' ? undefined : value);

/** A positive database id (32-bit), e.g. `campaignId=12`. */
export function IsQueryId(field: string): PropertyDecorator {
  const message = { message: `${field} must be a positive integer` };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : given(value),
    ),
    IsInt(message),
    Min(1, message),
    Max(2_147_483_647, message),
  );
}

/** A page size, `limit=50`, from 1 to `max`; left out or empty, `fallback`. */
export function IsQueryLimit(max: number, fallback: number): PropertyDecorator {
  const message = { message: `limit must be a whole number from 1 to ${max}` };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === undefined || value === ''
        ? fallback
        : typeof value === 'string' && /^[0-9]{1,4}$/.test(value)
          ? Number(value)
          : value,
    ),
    IsInt(message),
    Min(1, message),
    Max(max, message),
  );
}

/** `true` or `false`. */
export function IsQueryFlag(field: string): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean({ message: `${field} must be one of: true, false` }),
  );
}

/** One of a list of words, e.g. `state=due` (empty: not given). */
export function IsQueryOneOf(field: string, allowed: readonly string[]): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => given(value)),
    IsIn(allowed, { message: `${field} must be one of: ${allowed.join(', ')}` }),
  );
}

/** A text given once (put it last, nearest the field: a repeated value is said so first). */
export function IsQueryText(field: string): PropertyDecorator {
  return IsString({ message: `${field} must be given once` });
}

/** A text given once, trimmed; blank means "not given". Add `IsOptional()` beside it. */
export function IsQueryTrimmed(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim() || undefined : value,
    ),
    IsString({ message: `${field} must be given once` }),
  );
}

/** A calendar day, `2026-11-30` (a date that does not exist, like 2026-02-30, is refused). */
export function IsQueryDay(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => given(value)),
    ValidateBy({
      name: 'isCalendarDay',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDay(value),
        defaultMessage: () => `${field} must be a calendar day (2026-11-30)`,
      },
    }),
  );
}

/**
 * Several ids: `operatorIds=3,4`, or the field repeated (`operatorIds=3&operatorIds=4`, as a
 * form's checkboxes send it); empty means "not given". At most `max`.
 */
export function IsQueryIds(field: string, max = 200): PropertyDecorator {
  const message = { message: `${field} must be positive integers separated by commas` };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const parts = ([] as unknown[])
        .concat(value)
        .flatMap((part) => (typeof part === 'string' ? part.split(',') : [part]))
        .map((part) => (typeof part === 'string' ? part.trim() : part))
        .filter((part) => part !== '');
      if (parts.length === 0) return undefined;
      return parts.map((part) =>
        typeof part === 'string' && /^[0-9]{1,10}$/.test(part) ? Number(part) : part,
      );
    }),
    IsInt({ ...message, each: true }),
    Min(1, { ...message, each: true }),
    Max(2_147_483_647, { ...message, each: true }),
    ArrayMaxSize(max, { message: `${field} takes at most ${max} ids` }),
  );
}
