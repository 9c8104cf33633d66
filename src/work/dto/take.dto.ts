import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, MinLength } from 'class-validator';

export const TAKE_REASONS = ['inbound', 'manual'] as const;
/** `inbound`: the customer called us; `manual`: the operator chose to call them. */
export type TakeReason = (typeof TAKE_REASONS)[number];

/** `POST /api/v1/work/take`: a contact found by search or popped by the telephony. */
export class TakeContactDto {
  @ApiProperty()
  @IsInt({ message: 'contactId must be a positive integer' })
  @Max(2_147_483_647, { message: 'contactId must be a positive integer' })
  contactId!: number;

  @ApiProperty({ enum: TAKE_REASONS })
  @IsIn(TAKE_REASONS, { message: `reason must be one of: ${TAKE_REASONS.join(', ')}` })
  reason!: TakeReason;
}

/** `GET /api/v1/work/search?q=`: phone digits or a name. */
export class WorkSearchQuery {
  @ApiProperty({ description: 'at least 3 characters: phone digits or a name' })
  @IsString({ message: 'q must be text' })
  @MinLength(3, { message: 'q must be at least 3 characters' })
  @MaxLength(100, { message: 'q must be at most 100 characters' })
  q!: string;
}
