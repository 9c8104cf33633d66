import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { LANGUAGES, type Language } from '../../config/app.config';
import { ROLES, type Role } from '../../common/access/role';

const trimLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'mrossi' })
  @Transform(trimLower)
  @IsString()
  @MaxLength(64)
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 2-64 characters: letters, digits, dot, dash or underscore',
  })
  username!: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ example: 'Maria Rossi' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(120)
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ example: ['it', 'en'], description: 'Languages the operator speaks' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z]{2}$/, { each: true, message: 'languages must be two-letter codes such as "it"' })
  languages?: string[];

  @ApiPropertyOptional({ example: 'Team Nord', description: 'Team on the wall and in reports' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(60, { message: 'team must be at most 60 characters' })
  team?: string;

  @ApiPropertyOptional({ example: '201', description: 'Phone extension (telephony screen-pop)' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Matches(/^$|^[0-9A-Za-z*#+._-]{1,32}$/, {
    message: 'extension must be 1-32 digits or letters (also * # + . _ -)',
  })
  extension?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Language of the interface' })
  @IsOmittable()
  @IsIn(LANGUAGES, { message: `uiLanguage must be one of: ${LANGUAGES.join(', ')}` })
  uiLanguage?: Language;

  @ApiPropertyOptional({ type: [Number], description: 'operators only: the campaigns they work' })
  @IsOmittable()
  @IsArray({ message: 'campaignIds must be an array of ids' })
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'campaignIds must not repeat an id' })
  @IsInt({ each: true, message: 'campaignIds must contain positive integer ids' })
  @Min(1, { each: true, message: 'campaignIds must contain positive integer ids' })
  campaignIds?: number[];
}
