import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { UNIT_PRICE_PATTERN, VAT_RATE_PATTERN } from '../../common/decimal-string';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimUpper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

export const PRODUCT_CODE_PATTERN = /^[A-Z0-9][A-Z0-9._/-]{0,31}$/;

/**
 * Money is a decimal string ("19.90"). A JSON number (19.9) is refused rather than
 * converted: it has already been through binary floating point on the way in.
 */
export class CreateProductDto {
  @ApiProperty({ example: 'FIBRA-100', description: 'Upper-cased; A-Z, 0-9, . _ / -; at most 32' })
  @Transform(trimUpper)
  @IsString()
  @Matches(PRODUCT_CODE_PATTERN, {
    message: 'code must be 1-32 characters: letters A-Z, digits, dot, _, / or -',
  })
  code!: string;

  @ApiProperty({ example: 'Fibra 100 Mega' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '19.90', description: 'Net unit price, a decimal string (2 decimals)' })
  @Transform(trim)
  @IsString({
    message: 'unitPrice must be a decimal string such as "19.90" (JSON numbers are refused)',
  })
  @Matches(UNIT_PRICE_PATTERN, {
    message:
      'unitPrice must be a decimal such as "19.90": up to 10 digits and 2 decimals, not negative',
  })
  unitPrice!: string;

  @ApiProperty({ example: '22.00', description: 'VAT percentage 0-100, a decimal string' })
  @Transform(trim)
  @IsString({
    message: 'vatRate must be a decimal string such as "22.00" (JSON numbers are refused)',
  })
  @Matches(VAT_RATE_PATTERN, {
    message: 'vatRate must be a percentage from 0 to 100 with up to 2 decimals, e.g. "22.00"',
  })
  vatRate!: string;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}
