import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsString, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { LANGUAGES, type Language } from '../../config/app.config';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export const MAX_CONTEXT_CHARS = 4000;

/** `POST /callback-requests` (../shared/DESIGN.md). */
export class CallbackRequestDto {
  @ApiProperty()
  @IsInt({ message: 'campaignId must be the id of a campaign' })
  @Min(1, { message: 'campaignId must be the id of a campaign' })
  campaignId!: number;

  @ApiProperty({ example: '+39 333 123 4567' })
  @IsString({ message: 'phone must be a phone number' })
  @MaxLength(40, { message: 'phone is not a phone number' })
  phone!: string;

  @ApiPropertyOptional({ example: 'Maria Rossi' })
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: 'name must be text' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  name?: string;

  @ApiPropertyOptional({ example: 'Bolletta troppo alta' })
  @IsOmittable()
  @Transform(trim)
  @IsString({ message: 'reason must be text' })
  @MaxLength(200, { message: 'reason must be at most 200 characters' })
  reason?: string;

  @ApiPropertyOptional({
    example: { queueWaitSeconds: 240, ivr: 'billing > disputes' },
    description: `what the caller already said; at most ${MAX_CONTEXT_CHARS} characters as JSON`,
  })
  @IsOmittable()
  @IsObject({ message: 'context must be a JSON object' })
  context?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: '2026-12-01T10:00:00+01:00',
    description: 'the start of a free slot; without it the first slot with capacity',
  })
  @IsOmittable()
  @IsString({ message: 'slotStart must be an ISO-8601 date and time' })
  @MaxLength(40, { message: 'slotStart must be an ISO-8601 date and time' })
  slotStart?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'language of the answer’s message' })
  @IsOmittable()
  @IsIn(LANGUAGES, { message: `language must be one of: ${LANGUAGES.join(', ')}` })
  language?: Language;
}
