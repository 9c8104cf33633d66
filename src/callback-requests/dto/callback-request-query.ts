import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  IsQueryFlag,
  IsQueryId,
  IsQueryLimit,
  IsQueryOneOf,
  IsQueryText,
} from '../../common/http/query-fields';
import { CALLBACK_REQUEST_STATES, type CallbackRequestState } from '../callback-request.entity';

export const MAX_REQUEST_LIST = 500;
export const DEFAULT_REQUEST_LIST = 100;

/** `GET /callback-slots?campaignId&date`. */
export class CallbackSlotsQuery {
  @ApiProperty()
  @IsQueryId('campaignId')
  campaignId!: number;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD, the campaign’s today by default' })
  @IsOptional()
  @IsQueryText('date')
  date?: string;
}

/** `GET /callback-requests?campaignId&state&late&limit`. */
export class CallbackRequestListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId('campaignId')
  campaignId?: number;

  @ApiPropertyOptional({ enum: CALLBACK_REQUEST_STATES })
  @IsOptional()
  @IsQueryOneOf('state', CALLBACK_REQUEST_STATES)
  state?: CallbackRequestState;

  @ApiPropertyOptional({ description: 'true: open past the end of their window' })
  @IsQueryFlag('late')
  late?: boolean;

  @ApiPropertyOptional({ description: `1-${MAX_REQUEST_LIST}, default ${DEFAULT_REQUEST_LIST}` })
  @IsQueryLimit(MAX_REQUEST_LIST, DEFAULT_REQUEST_LIST)
  limit: number = DEFAULT_REQUEST_LIST;
}
