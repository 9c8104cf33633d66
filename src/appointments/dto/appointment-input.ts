import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

export const MAX_REASON = 500;

/** `POST /appointments/:id/move`. */
export class MoveAppointmentDto {
  @ApiProperty({
    example: '2026-11-25T10:00',
    description: "a slot start; without an offset, the campaign's local time",
  })
  @IsString({ message: 'startsAt must be a date and time (ISO 8601)' })
  startsAt!: string;

  @ApiPropertyOptional({ description: 'another agent of the campaign' })
  @IsOmittable()
  @IsInt({ message: 'agentId must be a positive integer' })
  @Min(1, { message: 'agentId must be a positive integer' })
  @Max(2_147_483_647, { message: 'agentId must be a positive integer' })
  agentId?: number;

  @ApiPropertyOptional({ description: 'book over another appointment (overlap policy warn)' })
  @IsOmittable()
  @IsBoolean({ message: 'acknowledgeOverlap must be true or false' })
  acknowledgeOverlap?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_REASON })
  @IsOmittable()
  @IsString({ message: 'reason must be text' })
  @MaxLength(MAX_REASON, { message: `reason must be at most ${MAX_REASON} characters` })
  reason?: string;
}

/** `POST /appointments/:id/state`: cancelled (with a reason), done or no-show. */
export class CloseAppointmentDto {
  @ApiProperty({ enum: ['cancelled', 'done', 'no_show'] })
  @IsIn(['cancelled', 'done', 'no_show'], {
    message: 'state must be one of: cancelled, done, no_show',
  })
  state!: 'cancelled' | 'done' | 'no_show';

  @ApiPropertyOptional({ maxLength: MAX_REASON, description: 'required to cancel' })
  @IsOmittable()
  @IsString({ message: 'reason must be text' })
  @MaxLength(MAX_REASON, { message: `reason must be at most ${MAX_REASON} characters` })
  reason?: string;
}

/** `POST /appointments/:id/reschedule`. */
export class RescheduleAppointmentDto {
  @ApiPropertyOptional({ maxLength: MAX_REASON })
  @IsOmittable()
  @IsString({ message: 'reason must be text' })
  @MaxLength(MAX_REASON, { message: `reason must be at most ${MAX_REASON} characters` })
  reason?: string;
}
