import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationError } from '../../common/errors/domain-errors';
import {
  CALLBACK_VISIBILITIES,
  type CallbackVisibility,
} from '../../outcome-statuses/outcome-status.entity';
import { CALLBACK_STATES, type CallbackState } from '../callback.entity';
import { queryId, queryOneOf, queryText } from '../../common/http/query-values';

export const CALLBACK_SCOPES = ['mine', 'public', 'all'] as const;
export type CallbackScope = (typeof CALLBACK_SCOPES)[number];

export const DEFAULT_CALLBACK_PAGE = 50;
export const MAX_CALLBACK_PAGE = 200;
export const MAX_CANCEL_REASON = 200;

/** `GET /callbacks`: who sees what is the service's business; here only the values' shape. */
export interface CallbackListQuery {
  /** Absent: the operator's own (mine), everything for coordinators (all). */
  scope?: CallbackScope;
  /** Waiting to be called and their time has come. */
  due: boolean;
  /** Waiting to be called beyond their campaign's grace: the callbacks at risk. */
  overdue: boolean;
  campaignId?: number;
  /** The operator who owns them. */
  ownerId?: number;
  /** Absent: the active ones (scheduled, due, in progress). */
  state?: CallbackState;
  /** The id of the last callback of the previous page. */
  after?: number;
  limit: number;
}

/** Reads the list's query string; a wrong value is a 400 naming it. */
export function readCallbackQuery(raw: Record<string, unknown>): CallbackListQuery {
  const query: CallbackListQuery = {
    due: flag(raw, 'due'),
    overdue: flag(raw, 'overdue'),
    limit: DEFAULT_CALLBACK_PAGE,
  };
  const scope = queryText(raw, 'scope');
  if (scope !== undefined) query.scope = queryOneOf(scope, 'scope', CALLBACK_SCOPES);
  const state = queryText(raw, 'state');
  if (state !== undefined) query.state = queryOneOf(state, 'state', CALLBACK_STATES);
  const campaignId = queryText(raw, 'campaignId');
  if (campaignId !== undefined) query.campaignId = queryId(campaignId, 'campaignId');
  const ownerId = queryText(raw, 'ownerId');
  if (ownerId !== undefined) query.ownerId = queryId(ownerId, 'ownerId');
  const after = queryText(raw, 'after');
  if (after !== undefined && after !== '') query.after = queryId(after, 'after');
  const limit = queryText(raw, 'limit');
  if (limit !== undefined) {
    const value = /^[0-9]{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(value >= 1 && value <= MAX_CALLBACK_PAGE)) {
      throw new ValidationError(
        'limit',
        `limit must be a whole number from 1 to ${MAX_CALLBACK_PAGE}`,
      );
    }
    query.limit = value;
  }
  return query;
}

function flag(raw: Record<string, unknown>, field: string): boolean {
  const value = queryText(raw, field);
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ValidationError(field, `${field} must be true or false`);
}

/** `POST /callbacks/:id/reassign`: the operator who is to call it. */
export class ReassignCallbackDto {
  @ApiProperty({ description: 'an operator assigned to the campaign of the callback' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  ownerId!: number;
}

/** `POST /callbacks/:id/visibility`. */
export class CallbackVisibilityDto {
  @ApiProperty({ enum: CALLBACK_VISIBILITIES })
  @IsIn(CALLBACK_VISIBILITIES, {
    message: `visibility must be one of: ${CALLBACK_VISIBILITIES.join(', ')}`,
  })
  visibility!: CallbackVisibility;
}

/** `POST /callbacks/:id/cancel`: why it will not be called (kept in the audit log). */
export class CancelCallbackDto {
  @ApiProperty({ maxLength: MAX_CANCEL_REASON })
  @IsString()
  @MaxLength(MAX_CANCEL_REASON)
  reason!: string;
}
