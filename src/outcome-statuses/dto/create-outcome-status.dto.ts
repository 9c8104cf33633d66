import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import {
  CALLBACK_VISIBILITIES,
  type CallbackVisibility,
  OUTCOME_TYPES,
  type OutcomeType,
} from '../outcome-status.entity';
import { MAX_ATTEMPTS, QUICK_ORDER, RETRY_AFTER_MINUTES } from '../outcome-status.rules';
import { COLOR_PATTERN } from '../tile-color';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimUpper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

export const STATUS_CODE_PATTERN = /^[A-Z0-9_-]{1,32}$/;

/**
 * A new outcome status. The rules that tie fields to the type (callback visibility only
 * for R, retry rule and do-not-call only for N, quick order with quick) are checked by
 * the service, because an update must check them against the stored status too.
 */
export class CreateOutcomeStatusDto {
  @ApiProperty({ example: 'NORISP', description: 'Upper-cased; A-Z, 0-9, _ and -, at most 32' })
  @Transform(trimUpper)
  @IsString()
  @Matches(STATUS_CODE_PATTERN, {
    message: 'code must be 1-32 characters: letters A-Z, digits, _ or -',
  })
  code!: string;

  @ApiProperty({ example: 'Non risponde', description: 'Italian label' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'label must not be empty' })
  @MaxLength(120)
  label!: string;

  @ApiPropertyOptional({ example: 'No answer', description: 'English label' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'labelEn must not be empty' })
  @MaxLength(120)
  labelEn?: string | null;

  @ApiProperty({
    enum: OUTCOME_TYPES,
    description: 'R callback, N negative, C online close, T appointment',
  })
  @IsIn(OUTCOME_TYPES, {
    message: 'type must be one of: R (callback), N (negative), C (online close), T (appointment)',
  })
  type!: OutcomeType;

  @ApiProperty({ example: '#1E88E5', description: 'Tile colour, #RRGGBB (stored upper case)' })
  @Transform(trimUpper)
  @IsString()
  @Matches(COLOR_PATTERN, { message: 'color must be #RRGGBB, e.g. #1E88E5' })
  color!: string;

  @ApiPropertyOptional({ description: 'Shown as a one-click button (and hotkey)' })
  @IsOptional()
  @IsBoolean()
  quick?: boolean | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 9, description: 'Required when quick is true' })
  @IsOptional()
  @IsInt()
  @Min(QUICK_ORDER.min)
  @Max(QUICK_ORDER.max)
  quickOrder?: number | null;

  @ApiPropertyOptional({ enum: CALLBACK_VISIBILITIES, description: 'Type R only; default private' })
  @IsOptional()
  @IsIn(CALLBACK_VISIBILITIES, { message: 'callbackVisibility must be one of: private, public' })
  callbackVisibility?: CallbackVisibility | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 10080, description: 'Type N only, with maxAttempts' })
  @IsOptional()
  @IsInt()
  @Min(RETRY_AFTER_MINUTES.min)
  @Max(RETRY_AFTER_MINUTES.max)
  retryAfterMinutes?: number | null;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 50,
    description: 'Type N only, with retryAfterMinutes',
  })
  @IsOptional()
  @IsInt()
  @Min(MAX_ATTEMPTS.min)
  @Max(MAX_ATTEMPTS.max)
  maxAttempts?: number | null;

  @ApiPropertyOptional({ description: 'Type N only: the number is never called again' })
  @IsOptional()
  @IsBoolean()
  doNotCall?: boolean | null;

  @ApiPropertyOptional({
    default: true,
    description:
      'false for no answer, busy, voicemail (type N only): required workflow steps do not apply and no consent is stored',
  })
  @IsOmittable()
  @IsBoolean({ message: 'customerReached must be true or false' })
  customerReached?: boolean;

  @ApiPropertyOptional({
    description: 'Type C only: the operator may change a product price in the cart',
  })
  @IsOptional()
  @IsBoolean()
  allowPriceOverride?: boolean | null;
}
