import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CALLBACK_VISIBILITIES,
  type CallbackVisibility,
} from '../../outcome-statuses/outcome-status.entity';
import type { CallbackState } from '../callback.entity';

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
