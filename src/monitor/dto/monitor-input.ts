import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ValidationError } from '../../common/errors/domain-errors';
import { queryId, queryText } from '../../common/http/query-values';
import type { WallFilter } from '../wall-assembly';

/** `?campaignId&team` of the wall, its stream and its API. */
export function readWallFilter(raw: Record<string, unknown>): WallFilter {
  const filter: WallFilter = {};
  const campaignId = queryText(raw, 'campaignId');
  if (campaignId) filter.campaignId = queryId(campaignId, 'campaignId');
  const team = queryText(raw, 'team')?.trim();
  if (team) {
    if (team.length > 60) throw new ValidationError('team', 'team must be at most 60 characters');
    filter.team = team;
  }
  return filter;
}

/** What an operator sets on their page. */
export class SetOperatorStateDto {
  @ApiProperty({ enum: ['ready', 'paused'] })
  @IsIn(['ready', 'paused'], { message: 'state must be one of: ready, paused' })
  state!: 'ready' | 'paused';

  @ApiPropertyOptional({ description: 'required with paused: the id of a pause reason' })
  @IsOmittable()
  @Type(() => Number)
  @IsInt({ message: 'pauseReasonId must be the id of a pause reason' })
  @Min(1, { message: 'pauseReasonId must be the id of a pause reason' })
  @Max(2_147_483_647, { message: 'pauseReasonId must be the id of a pause reason' })
  pauseReasonId?: number;
}
