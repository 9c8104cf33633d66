import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { LANGUAGES } from '../../config/app.config';
import { CALL_REASON_PATTERN, CALL_REASON_RULE } from '../../contacts/contact-rules';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class FollowUpTemplateDto {
  @ApiProperty({ description: 'The outcome status that sends it' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'statusId must be the id of an outcome status' })
  @Min(1, { message: 'statusId must be the id of an outcome status' })
  statusId!: number;

  @ApiPropertyOptional({
    example: 'voicemail',
    description: "The contact's call reason it is for; empty or absent: any reason",
  })
  @IsOmittable()
  @Transform(trimLower)
  @IsString()
  @Matches(new RegExp(`^$|${CALL_REASON_PATTERN.source}`), {
    message: `reason ${CALL_REASON_RULE}`,
  })
  reason?: string;

  @ApiProperty({ enum: LANGUAGES })
  @Transform(trimLower)
  @IsIn(LANGUAGES, { message: `language must be one of: ${LANGUAGES.join(', ')}` })
  language!: string;

  @ApiProperty({ example: 'Abbiamo provato a chiamarla, {{contact.firstName}}' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'subject is required' })
  @MaxLength(200)
  subject!: string;

  @ApiProperty({ example: 'Gentile {{contact.firstName}},\n...\n{{operator.name}}' })
  @IsString()
  @MinLength(1, { message: 'body is required' })
  @MaxLength(20_000)
  body!: string;
}

export class UpdateFollowUpTemplateDto extends PartialType(FollowUpTemplateDto) {}

export class FollowUpPreviewDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  subject!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(20_000)
  body!: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOmittable()
  @IsIn(LANGUAGES, { message: `language must be one of: ${LANGUAGES.join(', ')}` })
  language?: string;
}

export interface FollowUpTemplateView {
  id: number;
  statusId: number;
  reason: string;
  language: string;
  subject: string;
  body: string;
  updatedAt: string;
}

export interface FollowUpPreview {
  subject: string;
  text: string;
  /** The sample it was rendered with. */
  sample: { contact: Record<string, unknown>; operator: { name: string } };
}
