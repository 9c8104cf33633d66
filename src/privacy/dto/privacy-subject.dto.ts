import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsQueryTrimmed } from '../../common/http/query-fields';
import { IsOmittable } from '../../common/validation/omittable';

/** Who is asked about: a phone number (any local shape) or an e-mail address. */
export class PrivacySubjectQuery {
  @ApiPropertyOptional({ example: '333 123 4567' })
  @IsOptional()
  @IsQueryTrimmed('phone')
  @MaxLength(40, { message: 'phone must be at most 40 characters' })
  phone?: string;

  @ApiPropertyOptional({ example: 'maria.rossi@example.it' })
  @IsOptional()
  @IsQueryTrimmed('email')
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string;
}

/** An erasure request: the person, and why (kept in the audit trail, never the person's data). */
export class EraseSubjectDto {
  @ApiPropertyOptional({ example: '+393331234567' })
  @IsOmittable()
  @IsString({ message: 'phone must be text' })
  @MaxLength(40, { message: 'phone must be at most 40 characters' })
  phone?: string;

  @ApiPropertyOptional({ example: 'maria.rossi@example.it' })
  @IsOmittable()
  @IsString({ message: 'email must be text' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string;

  @ApiProperty({ example: 'request of 2026-12-07 by e-mail, ticket 4711' })
  @IsString({ message: 'reason must be text' })
  @MinLength(3, { message: 'reason must say why, in at least 3 characters' })
  @MaxLength(300, { message: 'reason must be at most 300 characters' })
  reason!: string;

  @ApiPropertyOptional({
    description: 'put the numbers on the do-not-call list (default true)',
    default: true,
  })
  @IsOmittable()
  @IsBoolean({ message: 'doNotCall must be true or false' })
  doNotCall?: boolean;
}

/** A campaign's retention: months without work before its contacts are anonymised; null removes it. */
export class RetentionRuleDto {
  @ApiProperty({ nullable: true, minimum: 1, maximum: 120, example: 24 })
  @IsOptional()
  @IsInt({ message: 'months must be a whole number of months from 1 to 120, or null' })
  @Min(1, { message: 'months must be a whole number of months from 1 to 120, or null' })
  @Max(120, { message: 'months must be a whole number of months from 1 to 120, or null' })
  months!: number | null;
}
