import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** An empty form field means "not given"; null (JSON) stays null: "none". */
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;

export class PauseReasonInput {
  @ApiProperty({ example: 'pausa' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, {
    message: 'code must be 1-32 lowercase letters, digits, dash or underscore',
  })
  code!: string;

  @ApiProperty({ example: 'Pausa' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'label must not be empty' })
  @MaxLength(80)
  label!: string;

  @ApiPropertyOptional({ example: 'Break' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  labelEn?: string;

  @ApiPropertyOptional({ description: 'minutes after which the tile asks for attention' })
  @Transform(emptyToUndefined)
  @IsOmittable()
  @Type(() => Number)
  @IsInt({ message: 'maxMinutes must be a whole number of minutes' })
  @Min(1, { message: 'maxMinutes must be between 1 and 480' })
  @Max(480, { message: 'maxMinutes must be between 1 and 480' })
  maxMinutes?: number;

  @ApiPropertyOptional({ description: 'order in the operator menu' })
  @Transform(emptyToUndefined)
  @IsOmittable()
  @Type(() => Number)
  @IsInt({ message: 'position must be a whole number' })
  @Min(0, { message: 'position must be between 0 and 999' })
  @Max(999, { message: 'position must be between 0 and 999' })
  position?: number;
}

export class UpdatePauseReasonInput extends PartialType(PauseReasonInput) {}
