import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

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
