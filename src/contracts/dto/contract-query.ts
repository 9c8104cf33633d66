import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ExportFileQueryDto } from '../../common/csv/export-query';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ValidationError } from '../../common/errors/domain-errors';
import { zonedLocalToUtc } from '../../common/time/local-time';
import { CONTRACT_STATES, type ContractState } from '../contract.entity';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/http/keyset-cursor';
import {
  IsQueryId,
  IsQueryLimit,
  IsQueryOneOf,
  IsQueryText,
  IsQueryTrimmed,
} from '../../common/http/query-fields';
import { addDays, isCalendarDay } from '../../common/time/calendar-day';
import { HOME_TIME_ZONE } from '../../common/time/home-zone';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
const MAX_Q = 100;

/** A bare day in `from`/`to` is a day of the call centre's zone (the campaigns' default). */
export const LIST_TIME_ZONE = HOME_TIME_ZONE;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** An instant must say its offset: a wall-clock time alone would be read in the server's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** How the database writes a DATETIME as text (the cursor keeps it exactly, microseconds too). */
const DB_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

/** What narrows the list and the export. */
export interface ContractFilters {
  status?: ContractState;
  /** created_at >= from */
  from?: Date;
  /** created_at < before */
  before?: Date;
  campaignId?: number;
  operatorId?: number;
  /** A protocol number, a phone (E.164, or its first digits) or the beginning of a last name. */
  q?: string;
}

/** A position in newest-first (created_at, id) order. */
export interface ContractCursor {
  /** created_at as the database writes it, so that no fraction of a second is lost. */
  createdAt: string;
  id: number;
}

export interface ContractPageQuery extends ContractFilters {
  after: ContractCursor | null;
  limit: number;
}

/** The filters of `GET /contracts` and its CSV export; a wrong one is a 400 naming it. */
export class ContractFiltersQueryDto {
  @ApiPropertyOptional({ enum: CONTRACT_STATES })
  @IsOptional()
  @IsQueryOneOf('status', CONTRACT_STATES)
  @IsQueryText('status')
  status?: ContractState;

  @ApiPropertyOptional({
    description: `created from: a day (2026-11-30, in ${LIST_TIME_ZONE}) or an instant with its offset`,
  })
  @IsOptional()
  @IsQueryInstant('from')
  from?: string;

  @ApiPropertyOptional({ description: 'created before: a day (included) or an instant (excluded)' })
  @IsOptional()
  @IsQueryInstant('to')
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('campaignId')
  campaignId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('operatorId')
  operatorId?: number;

  @ApiPropertyOptional({
    description:
      "any part of a protocol number (000123), a phone (or its first digits), a fiscal code, or the customer's name (last and first in either order, or the beginning of the last name)",
  })
  @IsOptional()
  @MaxLength(MAX_Q, { message: `q must be at most ${MAX_Q} characters` })
  @IsQueryTrimmed('q')
  q?: string;
}

/** The export's query: the filters, and the file (`format=csv|xlsx`, `dialect=plain|excel-it`). */
export class ContractExportQueryDto extends IntersectionType(
  ContractFiltersQueryDto,
  ExportFileQueryDto,
) {}

/** The filters plus `after` (a cursor from the previous page) and `limit`. */
export class ContractListQueryDto extends ContractFiltersQueryDto {
  @ApiPropertyOptional({ description: 'cursor: `next` of the previous page' })
  @IsOptional()
  @IsQueryTrimmed('after')
  after?: string;

  @ApiPropertyOptional({ description: `1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}` })
  @IsQueryLimit(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;
}

/** The service's filters from the query: days and instants as instants, `to` after `from`. */
export function contractFiltersOf(query: ContractFiltersQueryDto): ContractFilters {
  const { status, campaignId, operatorId, q } = query;
  const from = query.from === undefined ? undefined : instant(query.from, 'from');
  const before = query.to === undefined ? undefined : instant(query.to, 'to');
  if (from && before && before <= from) {
    throw new ValidationError('to', 'to must be after from');
  }
  return { status, from, before, campaignId, operatorId, q };
}

/** A page of the list: the filters, where the previous page ended, and how many. */
export function contractPageQueryOf(query: ContractListQueryDto): ContractPageQuery {
  return {
    ...contractFiltersOf(query),
    after: decodeContractCursor(query.after),
    limit: query.limit,
  };
}

export function encodeContractCursor(cursor: ContractCursor): string {
  return encodeKeysetCursor(cursor.createdAt, cursor.id);
}

export function decodeContractCursor(value: string | undefined): ContractCursor | null {
  const cursor = decodeKeysetCursor(
    value,
    'after',
    (createdAt, id) => DB_DATETIME.test(createdAt) && id > 0,
  );
  return cursor && { createdAt: cursor.key, id: cursor.id };
}

/** A day or an instant with its offset, as `from`/`to` take it; 2026-02-30 is none. */
function isDayOrInstant(value: string): boolean {
  if (DAY.test(value)) return isCalendarDay(value);
  return (
    INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && isCalendarDay(value.slice(0, 10))
  );
}

function IsQueryInstant(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value)),
    ValidateBy({
      name: 'isDayOrInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isDayOrInstant(value),
        defaultMessage: () =>
          `${field} must be a date (2026-11-30) or a date and time with its offset (2026-11-30T09:00:00+01:00)`,
      },
    }),
  );
}

/**
 * `2026-11-30` (a day in LIST_TIME_ZONE: its start, or for `to` the start of the next day,
 * so that the day is included) or an instant with its offset (`to` excluded).
 */
function instant(value: string, field: 'from' | 'to'): Date {
  if (!DAY.test(value)) return new Date(value);
  const start = zonedLocalToUtc(
    `${field === 'to' ? addDays(value, 1) : value}T00:00`,
    LIST_TIME_ZONE,
  );
  if (!start)
    throw new ValidationError(field, `${field}: ${value} has no midnight in ${LIST_TIME_ZONE}`);
  return start;
}

/** `POST /contracts/:id/status`: where the contract goes, and why. */
export class ContractStatusDto {
  @ApiProperty({ enum: CONTRACT_STATES, description: 'new → verified → activated; or cancelled' })
  @IsIn(CONTRACT_STATES, { message: `status must be one of: ${CONTRACT_STATES.join(', ')}` })
  status!: ContractState;

  @ApiPropertyOptional({
    description: 'why, in words: required to cancel; leaving a suspension needs it or a reasonCode',
    maxLength: 500,
  })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({
    description: 'an active code of GET /contract-reasons: required to suspend',
    maxLength: 32,
  })
  @IsOmittable()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsString({ message: 'reasonCode must be a code of the contract reasons' })
  @MaxLength(32, { message: 'reasonCode must be at most 32 characters' })
  reasonCode?: string;
}
