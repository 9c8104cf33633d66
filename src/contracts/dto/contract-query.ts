import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { CAMPAIGN_DEFAULTS } from '../../campaigns/campaign-defaults';
import { ValidationError } from '../../common/errors/domain-errors';
import { zonedLocalToUtc } from '../../common/time/local-time';
import { CONTRACT_STATES, type ContractState } from '../contract.entity';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/http/keyset-cursor';
import { queryId, queryText } from '../../common/http/query-values';
import { addDays, isCalendarDay } from '../../common/time/calendar-day';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
const MAX_Q = 100;

/** A bare day in `from`/`to` is a day of the call centre's zone (the campaigns' default). */
export const LIST_TIME_ZONE = CAMPAIGN_DEFAULTS.timezone;

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
export function readContractFilters(raw: Record<string, unknown>): ContractFilters {
  const filters: ContractFilters = {};
  const status = queryText(raw, 'status');
  if (status !== undefined) {
    if (!(CONTRACT_STATES as readonly string[]).includes(status)) {
      throw new ValidationError('status', `status must be one of: ${CONTRACT_STATES.join(', ')}`);
    }
    filters.status = status as ContractState;
  }
  const from = queryText(raw, 'from');
  if (from !== undefined) filters.from = instant(from, 'from', false);
  const to = queryText(raw, 'to');
  if (to !== undefined) filters.before = instant(to, 'to', true);
  if (filters.from && filters.before && filters.before <= filters.from) {
    throw new ValidationError('to', 'to must be after from');
  }
  const campaignId = queryText(raw, 'campaignId');
  if (campaignId !== undefined) filters.campaignId = queryId(campaignId, 'campaignId');
  const operatorId = queryText(raw, 'operatorId');
  if (operatorId !== undefined) filters.operatorId = queryId(operatorId, 'operatorId');
  const q = queryText(raw, 'q')?.trim();
  if (q !== undefined && q !== '') {
    if (q.length > MAX_Q) throw new ValidationError('q', `q must be at most ${MAX_Q} characters`);
    filters.q = q;
  }
  return filters;
}

/** The filters plus `after` (a cursor from the previous page) and `limit`. */
export function readContractPageQuery(raw: Record<string, unknown>): ContractPageQuery {
  const limitText = queryText(raw, 'limit');
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== undefined) {
    limit = /^[0-9]{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      throw new ValidationError('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
  }
  return {
    ...readContractFilters(raw),
    after: decodeContractCursor(queryText(raw, 'after')),
    limit,
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

/**
 * `2026-11-30` (a day in LIST_TIME_ZONE: its start, or for `to` the start of the next day,
 * so that the day is included) or an instant with its offset (`to` excluded).
 */
function instant(value: string, field: string, endOfDay: boolean): Date {
  if (DAY.test(value)) {
    const start = zonedLocalToUtc(`${value}T00:00`, LIST_TIME_ZONE);
    if (start) {
      if (!endOfDay) return start;
      const nextStart = zonedLocalToUtc(`${addDays(value, 1)}T00:00`, LIST_TIME_ZONE);
      if (nextStart) return nextStart;
    }
  } else if (INSTANT.test(value)) {
    const parsed = new Date(value);
    // Date.parse rolls 2026-02-30 over to March: the text must survive the round trip.
    if (!Number.isNaN(parsed.getTime()) && validDayOf(value)) return parsed;
  }
  throw new ValidationError(
    field,
    `${field} must be a date (2026-11-30) or a date and time with its offset (2026-11-30T09:00:00+01:00)`,
  );
}

function validDayOf(value: string): boolean {
  return isCalendarDay(value.slice(0, 10));
}

/** `POST /contracts/:id/status`: where the contract goes, and why. */
export class ContractStatusDto {
  @ApiProperty({ enum: CONTRACT_STATES, description: 'new → verified → activated; or cancelled' })
  @IsIn(CONTRACT_STATES, { message: `status must be one of: ${CONTRACT_STATES.join(', ')}` })
  status!: ContractState;

  @ApiPropertyOptional({ description: 'required to cancel', maxLength: 500 })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
