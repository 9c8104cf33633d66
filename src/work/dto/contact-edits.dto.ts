import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';

export const MAX_PHONES = 5;

export class PhoneEditDto {
  @ApiProperty({ example: '333 123 4567' })
  @IsString({ message: 'number must be text' })
  @MaxLength(40, { message: 'number must be at most 40 characters' })
  number!: string;

  @ApiProperty({ example: 'cellulare' })
  @IsString({ message: 'label must be text' })
  @MaxLength(30, { message: 'label must be at most 30 characters' })
  label!: string;
}

/**
 * What the operator corrected on the contact during the call, saved with the outcome
 * (invariant 13). A field left out stays; null clears the optional ones. `phones` replaces
 * the list, its first number becoming the main one.
 */
export class ContactEditsDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOmittable()
  @IsString({ message: 'firstName must be text' })
  @MinLength(1, { message: 'firstName must not be empty' })
  @MaxLength(100, { message: 'firstName must be at most 100 characters' })
  firstName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOmittable()
  @IsString({ message: 'lastName must be text' })
  @MaxLength(100, { message: 'lastName must be at most 100 characters' })
  lastName?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'address must be text' })
  @MaxLength(200, { message: 'address must be at most 200 characters' })
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 100 })
  @IsOptional()
  @IsString({ message: 'city must be text' })
  @MaxLength(100, { message: 'city must be at most 100 characters' })
  city?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'MI' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,8}$/, { message: 'province must be letters, e.g. MI' })
  province?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '20121' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]$/, {
    message: 'postalCode must be a postcode such as 20121',
  })
  postalCode?: string | null;

  @ApiPropertyOptional({ type: [PhoneEditDto], maxItems: MAX_PHONES })
  @IsOmittable()
  @IsArray({ message: 'phones must be a list of {number, label}' })
  @ArrayMaxSize(MAX_PHONES, { message: `phones must be at most ${MAX_PHONES}` })
  @ValidateNested({ each: true })
  @Type(() => PhoneEditDto)
  phones?: PhoneEditDto[];
}
